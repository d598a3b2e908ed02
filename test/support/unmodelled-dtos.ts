import { Expose, Transform, Type } from 'class-transformer';
import { IsString, Validate, ValidateNested, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

/** DTO classes using what the validation fast path does not model: each must keep the slow path. */
@ValidatorConstraint({ name: 'eventually', async: true })
class Eventually implements ValidatorConstraintInterface {
  validate(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

export class WithAsyncRule {
  @Validate(Eventually)
  readonly value!: string;
}

export class WithTransform {
  @IsString()
  @Transform(({ value }: { value: unknown }) => String(value).trim())
  readonly value!: string;
}

export class WithExpose {
  @IsString()
  @Expose({ name: 'other' })
  readonly value!: string;
}

export class WithGetter {
  @IsString()
  readonly value!: string;

  get shout(): string {
    return this.value.toUpperCase();
  }
}

export class WithoutRules {
  readonly value?: string;
}

export class NestingUnmodelled {
  @ValidateNested()
  @Type(() => WithTransform)
  readonly inner!: WithTransform;
}



export class ThrowingConstructor {
  @IsString()
  readonly value!: string;

  constructor() {
    throw new Error('not without arguments');
  }
}

export const modelGaps: readonly Function[] = [WithAsyncRule, WithTransform, WithExpose, WithGetter, WithoutRules, NestingUnmodelled, ThrowingConstructor, String, Object];
