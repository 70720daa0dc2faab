import type { ComponentType } from 'react';
import type { AreaId } from '../../../shared/permissions';
import { AdminArea } from '../areas/admin/AdminArea';
import { BillingArea } from '../areas/billing/BillingArea';
import { ClinicalArea } from '../areas/clinical/ClinicalArea';
import { ReceptionArea } from '../areas/reception/ReceptionArea';

export const AREA_PAGES: Record<AreaId, ComponentType> = {
  reception: ReceptionArea,
  clinical: ClinicalArea,
  billing: BillingArea,
  admin: AdminArea,
};
