import type { DtoPlan, PropertyPlan, Rule } from './dto-plan';

/**
 * True when class-validator's `validate` would find no error in `instance` (built by
 * buildInstance from `plan`) under the pipe's options (whitelist and forbidNonWhitelisted,
 * forbidUnknownValues, no groups, no skipping). The steps and their order are its executor's:
 * whitelist, then per property the conditions, @IsDefined, the other rules, the nested objects.
 * It only answers "valid"; any doubt (a rule that fails, a promise) is false, and false only
 * means the pipe asks class-validator, which then words the errors.
 *
 * `planOf` finds the plan of a nested instance's class (the executor reads the nested object's
 * own constructor's metadata).
 */
export function isCertainlyValid(plan: DtoPlan, instance: object, planOf: (type: Function) => DtoPlan | undefined): boolean {
  const object = instance as Record<string, unknown>;
  for (const key of Object.keys(object)) if (!plan.properties.has(key)) return false;
  for (const property of plan.properties.values()) {
    if (!propertyIsValid(property, object, object[property.name], planOf)) return false;
  }
  return true;
}

function propertyIsValid(property: PropertyPlan, object: Record<string, unknown>, value: unknown, planOf: (type: Function) => DtoPlan | undefined): boolean {
  // The executor calls every condition (no short circuit) before deciding.
  let applies = true;
  for (const condition of property.conditions) applies = condition(object, value) && applies;
  if (!applies) return true;
  if (!rulesHold(property.defined, object, value) || !rulesHold(property.rules, object, value)) return false;
  if (property.nestedValidations === 0 || value === undefined) return true;
  // Each @ValidateNested validates the value again; one pass decides for all of them.
  if (Array.isArray(value)) return value.every((item) => nestedIsValid(item, planOf));
  return nestedIsValid(value, planOf);
}

function nestedIsValid(value: unknown, planOf: (type: Function) => DtoPlan | undefined): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const plan = planOf(value.constructor);
  return plan !== undefined && isCertainlyValid(plan, value, planOf);
}

function rulesHold(rules: readonly Rule[], object: Record<string, unknown>, value: unknown): boolean {
  for (const rule of rules) {
    const args = { targetName: object.constructor ? object.constructor.name : undefined, property: rule.property, object, value, constraints: rule.constraints };
    if (!rule.each || !(Array.isArray(value) || value instanceof Set || value instanceof Map)) {
      if (!holds(rule.validator.validate(value, args as never))) return false;
    } else {
      const items: unknown[] = Array.isArray(value) ? value : [...(value as Set<unknown> | Map<unknown, unknown>).values()];
      for (const item of items) if (!holds(rule.validator.validate(item, args as never))) return false;
    }
  }
  return true;
}

/** A synchronous truthy answer; a promise (an async rule) is left to class-validator. */
function holds(answer: unknown): boolean {
  if (answer !== null && typeof answer === 'object' && typeof (answer as { then?: unknown }).then === 'function') return false;
  return Boolean(answer);
}
