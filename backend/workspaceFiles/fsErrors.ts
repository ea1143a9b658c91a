import { HttpError } from '../errors';

/** The program's error codes (errno names or its own) as the API's errors, with a next step. */
export function fsError(code: string, path: string): HttpError {
  const where = path ? `"${path}"` : 'the workspace';
  switch (code) {
    case 'ENOENT': return new HttpError(404, 'file_not_found', `${where} does not exist in the workspace.`);
    case 'no_workspace': return new HttpError(409, 'no_workspace', 'The project has no workspace yet: deploy it first.');
    case 'EEXIST': return new HttpError(409, 'file_exists', `${where} already exists.`);
    case 'ENOTEMPTY': return new HttpError(409, 'not_empty', `${where} is a folder with files in it: delete it with recursive=true.`);
    case 'EISDIR': return new HttpError(409, 'is_a_directory', `${where} is a folder.`);
    case 'ENOTDIR': return new HttpError(409, 'not_a_directory', `A part of ${where} is a file, not a folder.`);
    case 'not_a_file': return new HttpError(409, 'not_a_file', `${where} is not a regular file.`);
    case 'symlink':
    case 'ELOOP': return new HttpError(403, 'symlink_refused', `${where} is a symbolic link; Hangar does not write through links.`);
    case 'outside_workspace': return new HttpError(403, 'outside_workspace', `${where} leads outside the workspace (through a symbolic link).`);
    case 'bad_path': return new HttpError(400, 'bad_path', `${where} is not a path inside the workspace.`);
    case 'too_large': return new HttpError(413, 'file_too_large', `${where} is larger than the API hands over; open it in the container instead.`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS': return new HttpError(403, 'permission_denied', `The agent's user may not change ${where}.`);
    case 'ENOSPC':
    case 'EDQUOT': return new HttpError(507, 'workspace_full', 'The workspace\'s disk is full: free space (or pick a tier with more storage) and retry.', undefined, true);
    case 'ENAMETOOLONG': return new HttpError(400, 'bad_path', `${where} is too long.`);
    default: return new HttpError(502, 'workspace_failed', `The workspace could not do this (${code.slice(0, 40)}).`, undefined, true);
  }
}
