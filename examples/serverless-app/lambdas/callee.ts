/** Invoked by the caller through the Lambda API: answers with what it was given. */
export const handler = async (event: { from?: string }): Promise<{ greeting: string; from: string }> => {
  return { greeting: 'hello from the callee', from: event.from ?? 'nobody' };
};
