import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A digest of a cloud assembly's templates. They name each handler bundle by its content hash, so a
 * change to any handler's code or any resource changes the digest.
 */
export async function assemblyFingerprint(assemblyDir: string): Promise<string> {
  const templates = (await readdir(assemblyDir)).filter((name) => name.endsWith('.template.json')).sort();
  const hash = createHash('sha256');
  for (const name of templates) {
    hash.update(`${name}\0`);
    hash.update(await readFile(path.join(assemblyDir, name)));
    hash.update('\0');
  }
  return hash.digest('hex');
}
