import { ValidationTypes, getMetadataStorage, type ValidatorConstraintInterface } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { TransformationType } from 'class-transformer';
import { transformerMetadata } from './transformer-metadata';

/**
 * What the fast path knows of one DTO class, read once from the decorators' metadata: the same
 * rules, in the same order, that class-validator's executor and class-transformer's
 * plainToInstance derive from it on every request. A class whose metadata holds anything this
 * compiler does not model gets no plan (`compileDtoPlan` answers a reason), and the pipe keeps
 * handling it as before.
 */
export interface DtoPlan {
  readonly type: new () => object;
  /** The properties class-validator knows (its whitelist), in the order it validates them. */
  readonly properties: ReadonlyMap<string, PropertyPlan>;
}

export interface PropertyPlan {
  readonly name: string;
  /** The class of `@Type(() => X)`: plainToInstance builds an X of a nested object. */
  readonly nested?: DtoPlan;
  /** plainToInstance builds a plain array of the nested objects (the property's declared type is an array, or unknown). */
  readonly nestedArray: boolean;
  /** @ValidateIf conditions (and @IsOptional): all of them must hold for any rule to run. */
  readonly conditions: readonly ((object: object, value: unknown) => boolean)[];
  /** @IsDefined: run before the other rules. */
  readonly defined: readonly Rule[];
  readonly rules: readonly Rule[];
  /** How many @ValidateNested the property carries (each one validates the nested value). */
  readonly nestedValidations: number;
}

export interface Rule {
  readonly validator: ValidatorConstraintInterface;
  readonly each: boolean;
  readonly property: string;
  readonly constraints: unknown[];
}


/** The classes the pipe never validates (Nest's toValidate) or that plainToInstance copies as they are. */
const NOT_DTOS: readonly unknown[] = [String, Boolean, Number, Array, Object, Buffer, Date, Map, Set, Promise, RegExp];

/** Member names the JSON guard refuses and that would reach prototypes in the executors' lookups. */
const UNSAFE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const KNOWN_TYPES: ReadonlySet<string> = new Set([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.WHITELIST,
]);

export class NotCompilable extends Error {}

/**
 * The plan of a class, or a NotCompilable naming the first thing not modelled. `compiling` holds
 * the classes on the current path (a DTO that nests itself is left to the slow path).
 */
export function compileDtoPlan(type: unknown, compiling: Set<unknown> = new Set()): DtoPlan {
  if (typeof type !== 'function' || NOT_DTOS.includes(type)) throw new NotCompilable('not a DTO class');
  if (compiling.has(type)) throw new NotCompilable(`${type.name} nests itself`);
  compiling.add(type);
  const ctor = type as new () => object;
  requirePlainClass(ctor);
  requireNoTransformerDecorators(ctor);

  const storage = getMetadataStorage();
  // As class-validator's executor asks (no groups, `always` and `strictGroups` off; the schema name it passes for nested objects selects nothing for decorated classes).
  const metadatas = storage.getTargetValidationMetadatas(ctor, undefined as unknown as string, false, false, undefined);
  if (metadatas.length === 0) throw new NotCompilable(`${ctor.name} has no validation rules (forbidUnknownValues refuses it)`);
  const grouped = storage.groupByPropertyName(metadatas);

  const properties = new Map<string, PropertyPlan>();
  for (const name of Object.keys(grouped)) {
    if (UNSAFE_NAMES.has(name)) throw new NotCompilable(`${ctor.name}.${name}: an unsafe property name`);
    properties.set(name, compileProperty(ctor, name, grouped[name] ?? [], compiling));
  }
  // Fields a constructor sets are own keys of every instance: class-validator's whitelist sees them too.
  const probe = new ctor() as Record<string, unknown>;
  for (const key of Object.keys(probe)) {
    if (!properties.has(key)) throw new NotCompilable(`${ctor.name}.${key}: set by the constructor but not whitelisted`);
    if (probe[key] instanceof Function) throw new NotCompilable(`${ctor.name}.${key}: a function, which plainToInstance never overwrites`);
  }
  compiling.delete(type);
  return { type: ctor, properties };
}

function compileProperty(ctor: Function, name: string, metadatas: readonly ValidationMetadata[], compiling: Set<unknown>): PropertyPlan {
  const conditions: ((object: object, value: unknown) => boolean)[] = [];
  const defined: Rule[] = [];
  const rules: Rule[] = [];
  let nestedValidations = 0;
  for (const metadata of metadatas) {
    if (!KNOWN_TYPES.has(metadata.type)) throw new NotCompilable(`${ctor.name}.${name}: rule type ${metadata.type}`);
    switch (metadata.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
        break;
      case ValidationTypes.NESTED_VALIDATION:
        nestedValidations += 1;
        break;
      case ValidationTypes.WHITELIST:
        break;
      default:
        (metadata.type === ValidationTypes.IS_DEFINED ? defined : rules).push(...compileRules(ctor, name, metadata));
    }
  }
  const typeMetadata = transformerMetadata.findTypeMetadata(ctor, name);
  let nested: DtoPlan | undefined;
  let nestedArray = false;
  if (typeMetadata) {
    if (typeMetadata.options?.discriminator || !typeMetadata.typeFunction || typeMetadata.typeFunction.length > 0) {
      throw new NotCompilable(`${ctor.name}.${name}: a @Type with a discriminator or one that reads the object`);
    }
    nested = compileDtoPlan(typeMetadata.typeFunction(), compiling);
    // plainToInstance builds the array of nested objects as `new reflectedType()`: only a plain array is modelled.
    nestedArray = typeMetadata.reflectedType === undefined || typeMetadata.reflectedType === Array;
  }
  return { name, nested, nestedArray, conditions, defined, rules, nestedValidations };
}

function compileRules(ctor: Function, name: string, metadata: ValidationMetadata): Rule[] {
  return getMetadataStorage()
    .getTargetValidatorConstraints(metadata.constraintCls)
    .map((constraint) => {
      if (constraint.async) throw new NotCompilable(`${ctor.name}.${name}: an async rule`);
      return { validator: constraint.instance, each: metadata.each, property: metadata.propertyName, constraints: metadata.constraints };
    });
}

/** plainToInstance skips members with a getter or a method on the prototype: such classes are not modelled. */
function requirePlainClass(ctor: Function): void {
  for (let prototype = ctor.prototype as object | null; prototype && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype) as object | null) {
    const own = [...Object.getOwnPropertyNames(prototype), ...Object.getOwnPropertySymbols(prototype)];
    if (own.some((key) => key !== 'constructor')) throw new NotCompilable(`${ctor.name} has members on its prototype`);
  }
}

/** @Expose, @Exclude, @Transform or an expose/exclude strategy change which keys plainToInstance copies and how. */
function requireNoTransformerDecorators(ctor: Function): void {
  if (transformerMetadata.getStrategy(ctor) !== 'none') throw new NotCompilable(`${ctor.name} has a class-transformer strategy`);
  if (transformerMetadata.getExposedMetadatas(ctor).length > 0 || transformerMetadata.getExcludedMetadatas(ctor).length > 0) {
    throw new NotCompilable(`${ctor.name} has @Expose or @Exclude`);
  }
  const storage = getMetadataStorage();
  const names = Object.keys(storage.groupByPropertyName(storage.getTargetValidationMetadatas(ctor, undefined as unknown as string, false, false, undefined)));
  for (const name of names) {
    for (const transformation of [TransformationType.PLAIN_TO_CLASS, TransformationType.CLASS_TO_PLAIN, TransformationType.CLASS_TO_CLASS]) {
      if (transformerMetadata.findTransformMetadatas(ctor, name, transformation).length > 0) throw new NotCompilable(`${ctor.name}.${name} has @Transform`);
    }
  }
}
