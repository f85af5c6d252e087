/** Reads a required setting of the function's environment, failing with its name when it is missing. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`environment variable ${name} is not set; the function's configuration must provide it`);
  }
  return value;
}
