export { HttpsTarget } from './https-target.ts';
export type { HttpsTargetOptions } from './https-target.ts';
export { TODOS } from './todos.ts';
export type { Todo } from './todos.ts';
