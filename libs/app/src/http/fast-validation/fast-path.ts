import { buildInstance } from './build-instance';
import { isCertainlyValid } from './check-instance';
import { NotCompilable, compileDtoPlan, type DtoPlan } from './dto-plan';

/**
 * Why this exists: class-transformer and class-validator re-derive every DTO's rules from their
 * metadata stores on every request, build an error object per property and walk them again to
 * find none; that was ~15 % of a send's API CPU (docs/benchmarks.md). A plan compiled once per
 * class answers the common case, a valid body, with the same instance for a fraction of that.
 *
 * Why it is safe: it never answers "invalid". It returns an instance only when the body has a
 * shape whose plainToInstance result it models exactly and every rule (class-validator's own
 * validator functions, called as its executor calls them) holds; otherwise undefined, and the
 * caller runs the unchanged ValidationPipe, which gives every error answer. A class whose
 * metadata uses anything not modelled gets no plan at all.
 */
export class FastValidation {
  private readonly plans = new Map<unknown, DtoPlan | null>();
  private readonly planOf = (type: Function): DtoPlan | undefined => this.plan(type);

  constructor(private readonly onRefused: (type: Function, reason: string) => void = () => undefined) {}

  /** The instance the pipe would return for `value` as a `type`, or undefined: ask the pipe. */
  transform(value: unknown, type: Function): object | undefined {
    const plan = this.plan(type);
    if (!plan) return undefined;
    const instance = buildInstance(plan, value);
    return instance && isCertainlyValid(plan, instance, this.planOf) ? instance : undefined;
  }

  /** The class's plan, compiled on first use (decorators have all run by the first request). */
  plan(type: Function): DtoPlan | undefined {
    let plan = this.plans.get(type);
    if (plan === undefined) {
      try {
        plan = compileDtoPlan(type);
      } catch (error) {
        // NotCompilable names what is not modelled; any other failure (a constructor that throws,
        // metadata in a shape not expected) is no less a reason to leave the class to the pipe.
        plan = null;
        this.onRefused(type, error instanceof NotCompilable ? error.message : `compiling failed: ${String(error)}`);
      }
      this.plans.set(type, plan);
    }
    return plan ?? undefined;
  }
}
