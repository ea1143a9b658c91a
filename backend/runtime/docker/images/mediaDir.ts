import fs from 'node:fs';
import path from 'node:path';

/** The `media/` folder (image recipes, entrypoints, the opencode plugin), from the source tree or an installed package. */
export function mediaDir(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'media');
    if (fs.existsSync(path.join(candidate, 'images', 'cli', 'Dockerfile'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`cannot find media/images/cli/Dockerfile above ${from}`);
  }
}
