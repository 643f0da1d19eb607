/** API roles, least to most trusted (docs/requirements.md#http-api). */
export const ROLES = ['viewer', 'staff', 'maintenance', 'manager', 'admin'] as const
export type Role = (typeof ROLES)[number]

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed)
}
