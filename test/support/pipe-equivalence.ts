import { HttpException, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { acceptedValues, bodyCases, memberCandidates, memberNames, type BodyCase, type Oracle } from './dto-bodies';

/** What comparing two validation paths needs: an outcome to compare, the plain pipe as oracle, the cases of a class. */
export type Outcome = { readonly accepted: unknown } | { readonly refused: unknown } | { readonly threw: string };

export async function outcome(pipe: PipeTransform, body: unknown, metadata: ArgumentMetadata): Promise<Outcome> {
  try {
    return { accepted: shape(await pipe.transform(copy(body), metadata)) };
  } catch (error) {
    // A rule that throws (validator's isEmail on a lone surrogate, which the JSON guard refuses first) must throw the same.
    if (!(error instanceof HttpException)) return { threw: String(error) };
    return { refused: [error.getStatus(), error.getResponse()] };
  }
}

/** The fields the pipe names in its 400 for `body`, or undefined when it accepts it. */
export const pipeOracle =
  (pipe: PipeTransform): Oracle =>
  async (type, body) => {
    const answer = await outcome(pipe, body, { type: 'body', metatype: type as never });
    if ('threw' in answer) return [{ field: '' }];
    return 'refused' in answer ? ((answer.refused as [number, { errors?: { field: string }[] }])[1].errors ?? [{ field: '' }]) : undefined;
  };

/** Class, own keys in order and values, recursively: what a handler could observe of an instance. */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return ['array', Object.keys(value).length, value.map(shape)];
  if (typeof value === 'object' && value !== null) {
    const prototype = Object.getPrototypeOf(value) as { constructor?: { name: string } } | null;
    return ['object', prototype?.constructor?.name ?? null, Object.entries(value).map(([key, item]) => [key, shape(item)])];
  }
  return [typeof value, Object.is(value, -0) ? '-0' : value];
}

/** A deep copy that keeps null prototypes, holes and typed arrays (each path gets its own: the plain pipe edits in place). */
export function copy(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (const key of Object.keys(value)) items[Number(key)] = copy(value[Number(key)]);
    return items;
  }
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (typeof value === 'object' && value !== null) {
    const target = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
    for (const key of Object.keys(value)) Object.defineProperty(target, key, { value: copy((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    return target;
  }
  return value;
}

/** The generated cases of `type`, its nested classes' cases (to three levels) among its members' values. */
export async function casesFor(type: Function, oracle: Oracle, depth = 0): Promise<BodyCase[]> {
  const names = memberNames(type);
  const nested = new Map<Function, unknown[]>();
  for (const name of names) {
    memberCandidates(type, name, (inner) => {
      nested.set(inner, []);
      return [];
    });
  }
  for (const inner of nested.keys()) nested.set(inner, depth < 3 ? (await casesFor(inner, oracle, depth + 1)).slice(0, 40).map((entry) => entry.body) : []);
  const candidates = new Map(names.map((name) => [name, memberCandidates(type, name, (inner) => nested.get(inner) ?? [])]));
  const good = await acceptedValues(type, candidates, oracle);
  return bodyCases(good, candidates);
}
