import type { AreaId } from '../../../shared/permissions';

/** Where each role works most of the day: the area that opens after signing in, when it is allowed. */
const HOME_AREAS: Record<string, AreaId> = {
  doctor: 'clinical',
  nurse: 'clinical',
  billing: 'billing',
};

/** The area to open: the one chosen in this session, else the role's own, else the first allowed. */
export function areaToOpen<Area extends { id: AreaId }>(allowed: readonly Area[], chosen: AreaId | null, role: string): Area | undefined {
  return allowed.find((area) => area.id === chosen) ?? allowed.find((area) => area.id === HOME_AREAS[role]) ?? allowed[0];
}
