import { randomUUID } from 'node:crypto';
import { copyFile, link, mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ArtifactConflictError, type ArtifactListing, type ArtifactStore } from './artifact-store';

/** Artifacts as files under one folder; URIs are `file://` URLs. */
export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  uriFor(key: string): string {
    return pathToFileURL(this.pathFor(key)).href;
  }

  async put(key: string, data: Uint8Array | string): Promise<string> {
    const path = this.pathFor(key);
    await writeAtomically(path, data);
    return this.uriFor(key);
  }

  async putIfAbsent(key: string, data: Uint8Array | string): Promise<{ uri: string; created: boolean }> {
    const path = this.pathFor(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, data);
    try {
      // link() fails when the target exists: first writer wins, atomically.
      await link(tmp, path);
      return { uri: this.uriFor(key), created: true };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const stored = await readFile(path);
      if (!stored.equals(typeof data === 'string' ? Buffer.from(data, 'utf8') : data))
        throw new ArtifactConflictError(this.uriFor(key));
      return { uri: this.uriFor(key), created: false };
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  async putFile(key: string, localPath: string): Promise<string> {
    const path = this.pathFor(key);
    if (resolve(localPath) === path) return this.uriFor(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    await copyFile(localPath, tmp);
    await rename(tmp, path);
    return this.uriFor(key);
  }

  async get(uri: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.pathOfUri(uri)));
  }

  async getText(uri: string): Promise<string> {
    return readFile(this.pathOfUri(uri), 'utf8');
  }

  async exists(uri: string): Promise<boolean> {
    try {
      await stat(this.pathOfUri(uri));
      return true;
    } catch {
      return false;
    }
  }

  async localPath(uri: string): Promise<string> {
    return this.pathOfUri(uri);
  }

  async scratchPath(name: string): Promise<string> {
    const dir = join(this.root, 'scratch');
    await mkdir(dir, { recursive: true });
    return join(dir, `${randomUUID()}-${name}`);
  }

  async list(prefix: string): Promise<ArtifactListing[]> {
    // The folder the prefix names (or lies in); files under it whose key starts with the prefix.
    const dir =
      prefix === ''
        ? this.root
        : prefix.endsWith('/')
          ? this.pathFor(prefix.slice(0, -1))
          : dirname(this.pathFor(prefix));
    let entries;
    try {
      entries = await readdir(dir, { recursive: true, withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: ArtifactListing[] = [];
    for (const e of entries) {
      if (!e.isFile() || e.name.endsWith('.tmp')) continue;
      const path = join(e.parentPath, e.name);
      const key = relative(this.root, path).split(sep).join('/');
      if (!key.startsWith(prefix)) continue;
      const s = await stat(path).catch(() => null);
      if (s) out.push({ key, uri: this.uriFor(key), modifiedMs: s.mtimeMs });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  pathFor(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + '/')) throw new Error(`artifact key escapes the store: ${key}`);
    return path;
  }

  private pathOfUri(uri: string): string {
    if (uri.startsWith('file://')) return fileURLToPath(uri);
    if (uri.includes('://')) throw new Error(`not a local artifact URI: ${uri}`);
    return this.pathFor(uri);
  }
}

export async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomUUID()}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}
