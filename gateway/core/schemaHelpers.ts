import { Type as T } from '@sinclair/typebox'

/** A string enum that keeps its literal type (T.Union of mapped literals widens to string). */
export function enumOf<V extends string>(
  values: readonly V[],
  options: { default?: NoInfer<V>; description?: string } = {},
) {
  return T.Unsafe<V>({ type: 'string', enum: [...values], ...options })
}
