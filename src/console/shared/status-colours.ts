/** Status colours, shared by rings, bars, rows and legends. */
export const STATUS_COLOURS = {
  ok: '#2f9e5d',
  error: '#e39b19',
  throttle: '#8b5cd6',
  fault: '#d64141',
} as const;

/** The statuses in the order rings go round and bars stack up: healthy first. */
export const STATUS_ORDER = ['ok', 'error', 'throttle', 'fault'] as const;
