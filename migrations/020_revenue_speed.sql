-- ClinicDesk 020: the revenue reports find a period's issued invoices by the clinic and the
-- invoice's date (their own index), instead of reading every invoice of the clinic. The partial
-- predicate is the reports' own filter, so the planner may use it under forced RLS (the tenant,
-- clinic and deleted_at conditions are plain equalities and IS NULL, all leakproof).
CREATE INDEX idx_invoices_revenue ON invoices (tenant_id, clinic_id, invoice_date)
  WHERE status NOT IN ('draft', 'cancelled') AND deleted_at IS NULL;
