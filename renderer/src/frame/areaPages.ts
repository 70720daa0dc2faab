import type { ComponentType } from 'react';
import type { AreaId } from '../../../shared/permissions';
import { AdminArea } from '../admin/AdminArea';
import { BillingArea } from '../billing/BillingArea';
import { ClinicalArea } from '../clinical/ClinicalArea';
import { ReceptionArea } from '../reception/ReceptionArea';

export const AREA_PAGES: Record<AreaId, ComponentType> = {
  reception: ReceptionArea,
  clinical: ClinicalArea,
  billing: BillingArea,
  admin: AdminArea,
};
