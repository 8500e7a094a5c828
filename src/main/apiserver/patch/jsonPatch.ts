// JSON patch (RFC 6902), used by `kubectl patch --type json`: an ordered list of
// add/remove/replace/move/copy/test operations addressed by JSON pointers (RFC 6901).
import { ApiError } from '../../errors';
import { deepCopy, deepEqual, isObject } from '../jsonValues';

/** JsonPatchOperation is one operation of a JSON patch document. */
export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw patchError(`invalid JSON pointer "${pointer}": it must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function patchError(message: string): ApiError {
  return new ApiError('Invalid', `the server rejected our request due to an error in our request: ${message}`, undefined, { code: 422 });
}

function arrayIndex(token: string, length: number, forInsert: boolean): number {
  if (forInsert && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw patchError(`invalid array index "${token}"`);
  const index = Number(token);
  if (index > length || (!forInsert && index === length)) throw patchError(`array index ${index} is out of bounds`);
  return index;
}

function parentOf(doc: unknown, tokens: string[], pointer: string): { parent: unknown; last: string } {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length, false)];
    else if (isObject(node) && token in node) node = node[token];
    else throw patchError(`path "${pointer}" does not exist`);
  }
  return { parent: node, last: tokens[tokens.length - 1] };
}

function getAt(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length, false)];
    else if (isObject(node) && token in node) node = node[token];
    else throw patchError(`path "${pointer}" does not exist`);
  }
  return node;
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true), 0, value);
  else if (isObject(parent)) parent[last] = value;
  else throw patchError(`path "${pointer}" does not exist`);
  return doc;
}

function remove(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw patchError('cannot remove the whole document');
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false), 1);
  else if (isObject(parent) && last in parent) delete parent[last];
  else throw patchError(`path "${pointer}" does not exist`);
  return doc;
}

/** applyJsonPatch applies the operations in order to a copy of doc and returns it. */
export function applyJsonPatch(doc: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw new ApiError('BadRequest', 'a JSON patch must be a JSON array of operations');
  }
  let result = deepCopy(doc);
  for (const raw of operations) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw new ApiError('BadRequest', 'every JSON patch operation needs an "op" and a "path"');
    }
    const op = raw as unknown as JsonPatchOperation;
    switch (op.op) {
      case 'add':
        if (!('value' in raw)) throw patchError(`"add" operation on "${op.path}" has no value`);
        result = add(result, op.path, deepCopy(op.value));
        break;
      case 'remove':
        result = remove(result, op.path);
        break;
      case 'replace':
        if (!('value' in raw)) throw patchError(`"replace" operation on "${op.path}" has no value`);
        if (op.path === '') {
          result = deepCopy(op.value);
          break;
        }
        getAt(result, op.path);
        result = add(remove(result, op.path), op.path, deepCopy(op.value));
        break;
      case 'move': {
        if (typeof op.from !== 'string') throw patchError('"move" operation has no "from"');
        const value = getAt(result, op.from);
        result = add(remove(result, op.from), op.path, value);
        break;
      }
      case 'copy': {
        if (typeof op.from !== 'string') throw patchError('"copy" operation has no "from"');
        result = add(result, op.path, deepCopy(getAt(result, op.from)));
        break;
      }
      case 'test':
        if (!deepEqual(getAt(result, op.path), op.value)) throw patchError(`testing value ${op.path} failed`);
        break;
      default:
        throw new ApiError('BadRequest', `unknown JSON patch operation "${String((raw as { op: unknown }).op)}"`);
    }
  }
  return result;
}
