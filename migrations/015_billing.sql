-- ClinicDesk 015: billing. A price list with effective dates; invoices priced, numbered and
-- locked by the database; credit notes; payments that can never overpay; refunds that never
-- exceed their payment; the day's cash-up. Runs unchanged on PGlite (PostgreSQL 18) and 15+.
--
-- Decisions written down:
-- * Line items stay in the seed's JSONB column (invoices.line_items), not a line table: an
--   invoice is written, priced, locked, audited and printed as one row; no line is ever
--   referenced on its own; a credit note copies the lines it credits. The database checks each
--   line (the shared zod schema in shared/billing.ts checks the same on the way in) and
--   rewrites its computed amounts, so what is stored always adds up.
-- * Tax is rounded per line, to the cent, half away from zero: net = round(quantity × unit price,
--   2) − discount; tax = round(net × rate / 100, 2). The invoice's tax is the sum of its lines'
--   taxes, so every printed line adds up to the printed total.
-- * An invoice has no number while it is a draft; issuing it takes the next number of its
--   clinic and year (INV-2026-000001; credit notes CN-…) from a counter row updated in the
--   issuing transaction: a second desk issuing at once waits for the first to commit, and a
--   rolled-back issue rolls its number back too, so the numbers have no gaps.
-- * An issued invoice is never edited. It is voided (only while nothing is paid or credited) or
--   corrected by a credit note, which credits at most what is still owed: money already paid
--   is given back by refunding the payment first.
-- * Overpayment is refused, not held as credit: a payment takes at most what is still owed; with
--   an insurer's share (insurer_percent of the total), the insurer's part only by an insurance
--   payment and the patient's part only by the others. The invoice row is locked first, so two desks paying
--   the same invoice at the same moment are checked one after the other.
-- * A refund goes back by the payment's own method, by the person who gives it, and never
--   exceeds what is left of that payment (the payment row is locked first).

-- ---------------------------------------------------------------------------
-- Price list: one row per service and period; a new price is a new row from its date, so an
-- invoice for an older visit is priced as on the day of the visit.
-- ---------------------------------------------------------------------------
CREATE TABLE price_list (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id        uuid NOT NULL,
  code             text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{0,29}$'),
  description      text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 200),
  category         text NOT NULL CHECK (category IN ('consultation', 'procedure', 'test', 'other')),
  -- What a completed visit of this type, or an ordered test of this code, is charged as.
  appointment_type text,
  test_code        text,
  unit_price       numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
  tax_rate         numeric(5, 2) NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 100),
  valid_from       date NOT NULL,
  valid_until      date CHECK (valid_until > valid_from),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id),
  -- One price per service at any date.
  CONSTRAINT price_list_one_price_a_day EXCLUDE USING gist (
    tenant_id WITH =, clinic_id WITH =, code WITH =, daterange(valid_from, valid_until) WITH &&)
);
CREATE INDEX idx_price_list_appointment_type ON price_list (tenant_id, clinic_id, appointment_type) WHERE appointment_type IS NOT NULL;
CREATE INDEX idx_price_list_test_code ON price_list (tenant_id, clinic_id, test_code) WHERE test_code IS NOT NULL;
CREATE TRIGGER default_clinic_id BEFORE INSERT ON price_list FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
SELECT declare_tenant_table('price_list', inserts => ARRAY['billing.write'], updates => ARRAY['billing.write']);
CREATE POLICY own_clinic_price_list ON price_list AS RESTRICTIVE FOR ALL TO clinic_app
  USING (clinic_id = (SELECT current_app_clinic_id())) WITH CHECK (clinic_id = (SELECT current_app_clinic_id()));

-- ---------------------------------------------------------------------------
-- Invoices: kinds, credit, insurer split, numbers on issue.
-- ---------------------------------------------------------------------------
-- The balance now also counts what credit notes took off it: the views reading it are made
-- again below with the column.
DROP VIEW patient_summary;
DROP VIEW revenue_summary;
ALTER TABLE invoices DROP COLUMN balance_due;
ALTER TABLE invoices DROP CONSTRAINT invoices_check1;
ALTER TABLE invoices DROP CONSTRAINT invoices_status_check;
ALTER TABLE invoices DROP CONSTRAINT invoices_tenant_id_invoice_number_key;
DROP TRIGGER assign_invoice_number ON invoices;
ALTER TABLE invoices
  ALTER COLUMN invoice_number DROP NOT NULL,
  ADD COLUMN kind text NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note')),
  ADD COLUMN credited_invoice_id uuid,
  ADD COLUMN amount_credited numeric(12, 2) NOT NULL DEFAULT 0 CHECK (amount_credited >= 0),
  ADD COLUMN insurer_name text CHECK (length(btrim(insurer_name)) BETWEEN 1 AND 200),
  ADD COLUMN insurer_percent numeric(5, 2) NOT NULL DEFAULT 0 CHECK (insurer_percent BETWEEN 0 AND 100),
  ADD COLUMN insurer_amount numeric(12, 2) NOT NULL DEFAULT 0 CHECK (insurer_amount >= 0),
  ADD COLUMN void_reason text CHECK (length(btrim(void_reason)) BETWEEN 1 AND 500),
  ADD COLUMN voided_at timestamptz,
  ADD COLUMN balance_due numeric(12, 2) GENERATED ALWAYS AS (total_amount - amount_paid - amount_credited) STORED,
  ADD CONSTRAINT invoices_status_check
    CHECK (status IN ('draft', 'issued', 'partially_paid', 'paid', 'overdue', 'cancelled', 'refunded', 'credited')),
  ADD CONSTRAINT invoices_not_overpaid CHECK (amount_paid + amount_credited <= total_amount),
  ADD CONSTRAINT invoices_numbered_when_issued CHECK (status = 'draft' OR invoice_number IS NOT NULL),
  ADD CONSTRAINT invoices_credit_note_credits_an_invoice CHECK ((kind = 'credit_note') = (credited_invoice_id IS NOT NULL)),
  ADD CONSTRAINT invoices_insurer_named CHECK (insurer_percent = 0 OR insurer_name IS NOT NULL),
  ADD CONSTRAINT invoices_insurer_within_total CHECK (insurer_amount <= total_amount),
  ADD CONSTRAINT invoices_void_has_reason CHECK ((status = 'cancelled') <= (void_reason IS NOT NULL)),
  ADD FOREIGN KEY (tenant_id, credited_invoice_id) REFERENCES invoices (tenant_id, id);
-- Numbers run per clinic, so they are unique per clinic.
CREATE UNIQUE INDEX invoices_number_per_clinic ON invoices (tenant_id, clinic_id, invoice_number);
-- A visit is invoiced once (a voided invoice frees it).
CREATE UNIQUE INDEX invoices_one_per_visit ON invoices (tenant_id, appointment_id)
  WHERE kind = 'invoice' AND status <> 'cancelled' AND deleted_at IS NULL AND appointment_id IS NOT NULL;
CREATE INDEX idx_invoices_credited ON invoices (tenant_id, credited_invoice_id) WHERE credited_invoice_id IS NOT NULL;
CREATE INDEX idx_invoices_issued ON invoices (tenant_id, clinic_id, issued_at) WHERE status <> 'draft' AND deleted_at IS NULL;

GRANT INSERT (kind, credited_invoice_id, insurer_name, insurer_percent, void_reason) ON invoices TO clinic_app;
GRANT UPDATE (insurer_name, insurer_percent, void_reason) ON invoices TO clinic_app;

-- Trusted work (settling by the definer functions below, the operator, the demo loader) runs as
-- the owner of the schema; a request runs as clinic_app or a staff login.
CREATE FUNCTION acting_as_owner() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT current_user = (SELECT c.relowner::regrole::name FROM pg_class c WHERE c.oid = 'public.tenants'::regclass)
$$;
REVOKE ALL ON FUNCTION acting_as_owner() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION acting_as_owner() TO clinic_app;

-- Checks each line and writes its computed amounts, then the invoice's totals and insurer part.
CREATE FUNCTION price_invoice_lines() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  line jsonb;
  n integer := 0;
  priced jsonb := '[]';
  quantity numeric;
  unit_price numeric;
  discount numeric;
  tax_rate numeric;
  gross numeric;
  tax numeric;
  subtotal numeric := 0;
  discounts numeric := 0;
  taxes numeric := 0;
BEGIN
  IF NEW.status <> 'draft' AND jsonb_array_length(NEW.line_items) = 0 THEN
    RAISE EXCEPTION 'An invoice needs at least one line before it is issued'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_lines', HINT = 'clinicdesk:user-message';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.line_items, NEW.insurer_percent) IS NOT DISTINCT FROM (OLD.line_items, OLD.insurer_percent) THEN
    RETURN NEW;
  END IF;
  FOR line IN SELECT value FROM jsonb_array_elements(NEW.line_items) LOOP
    n := n + 1;
    IF jsonb_typeof(line) <> 'object' OR length(btrim(coalesce(line ->> 'description', ''))) NOT BETWEEN 1 AND 200
       OR coalesce(line ->> 'quantity', '') !~ '^\d{1,6}(\.\d{1,2})?$'
       OR coalesce(line ->> 'unit_price', '') !~ '^\d{1,9}(\.\d{1,2})?$'
       OR coalesce(line ->> 'discount', '0') !~ '^\d{1,9}(\.\d{1,2})?$'
       OR coalesce(line ->> 'tax_rate', '0') !~ '^\d{1,3}(\.\d{1,2})?$' THEN
      RAISE EXCEPTION 'Line %: a description, and quantity, unit price, discount and tax rate as numbers', n
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_lines', HINT = 'clinicdesk:user-message';
    END IF;
    quantity := (line ->> 'quantity')::numeric;
    unit_price := (line ->> 'unit_price')::numeric;
    discount := coalesce(line ->> 'discount', '0')::numeric;
    tax_rate := coalesce(line ->> 'tax_rate', '0')::numeric;
    gross := round(quantity * unit_price, 2);
    IF quantity = 0 OR tax_rate > 100 OR discount > gross THEN
      RAISE EXCEPTION 'Line %: the quantity must be more than 0, the tax rate at most 100%% and the discount at most the line''s amount', n
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_lines', HINT = 'clinicdesk:user-message';
    END IF;
    tax := round((gross - discount) * tax_rate / 100, 2);
    subtotal := subtotal + gross;
    discounts := discounts + discount;
    taxes := taxes + tax;
    priced := priced || jsonb_build_array(line || jsonb_build_object(
      'quantity', quantity::text, 'unit_price', unit_price::numeric(12, 2)::text, 'discount', discount::numeric(12, 2)::text,
      'tax_rate', tax_rate::numeric(5, 2)::text, 'amount', (gross - discount)::numeric(12, 2)::text, 'tax', tax::numeric(12, 2)::text));
  END LOOP;
  NEW.line_items := priced;
  NEW.subtotal := subtotal;
  NEW.discount_amount := discounts;
  NEW.tax_amount := taxes;
  NEW.total_amount := subtotal - discounts + taxes;
  NEW.insurer_amount := round(NEW.total_amount * NEW.insurer_percent / 100, 2);
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION price_invoice_lines() FROM PUBLIC;
CREATE TRIGGER price_invoice_lines BEFORE INSERT OR UPDATE ON invoices
  FOR EACH ROW EXECUTE FUNCTION price_invoice_lines();

-- A draft is free to edit; an issued invoice only changes by being voided, or by the database
-- settling it (payments, refunds, credit notes). Never archived once issued. What is paid and
-- credited is the database's to write, from the first insert on.
CREATE FUNCTION guard_invoice_edits() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  -- What the database itself derives (balance_due is not computed yet in a BEFORE trigger).
  derived CONSTANT text[] := ARRAY['amount_paid', 'amount_credited', 'paid_at', 'updated_at', 'balance_due'];
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NOT acting_as_owner() THEN
      IF NEW.status NOT IN ('draft', 'issued') THEN
        RAISE EXCEPTION 'An invoice is written as a draft, or issued at once'
          USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
      END IF;
      NEW.amount_paid := 0;
      NEW.amount_credited := 0;
      NEW.paid_at := NULL;
      NEW.voided_at := NULL;
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.status <> 'draft' AND NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN
    RAISE EXCEPTION 'An issued invoice is never archived: void it or correct it with a credit note'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF acting_as_owner() THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'draft' THEN
    IF NEW.status NOT IN ('draft', 'issued')
       OR (NEW.kind, NEW.credited_invoice_id, NEW.invoice_number, NEW.amount_paid, NEW.amount_credited, NEW.paid_at)
          IS DISTINCT FROM (OLD.kind, OLD.credited_invoice_id, OLD.invoice_number, OLD.amount_paid, OLD.amount_credited, OLD.paid_at) THEN
      RAISE EXCEPTION 'A draft is edited and issued; its number, payments and credits come from the database'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status = 'cancelled' AND OLD.status IN ('issued', 'overdue') AND OLD.kind = 'invoice'
     AND OLD.amount_paid = 0 AND OLD.amount_credited = 0
     AND to_jsonb(NEW) - derived - ARRAY['status', 'void_reason', 'voided_at'] = to_jsonb(OLD) - derived - ARRAY['status', 'void_reason', 'voided_at'] THEN
    NEW.voided_at := now();
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'An issued invoice is never edited: void it while nothing is paid, or correct it with a credit note'
    USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
END $$;
REVOKE ALL ON FUNCTION guard_invoice_edits() FROM PUBLIC;
CREATE TRIGGER guard_invoice_edits BEFORE INSERT OR UPDATE ON invoices
  FOR EACH ROW EXECUTE FUNCTION guard_invoice_edits();

-- Issuing: the next number of the clinic and year, the clinic's date, the database's time.
CREATE FUNCTION number_invoice() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  prefix text := CASE NEW.kind WHEN 'credit_note' THEN 'CN' ELSE 'INV' END;
  today date;
  next_value bigint;
BEGIN
  IF NEW.status = 'draft' OR NEW.invoice_number IS NOT NULL THEN
    RETURN NEW;
  END IF;
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT (now() AT TIME ZONE c.timezone)::date INTO today FROM clinics c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.clinic_id;
  INSERT INTO number_sequences AS s (tenant_id, kind, period, last_value)
  VALUES (NEW.tenant_id, lower(prefix) || ':' || NEW.clinic_id, extract(year FROM today)::integer, 1)
  ON CONFLICT (tenant_id, kind, period) DO UPDATE SET last_value = s.last_value + 1
  RETURNING s.last_value INTO next_value;
  NEW.invoice_number := prefix || '-' || extract(year FROM today)::integer || '-' || lpad(next_value::text, 6, '0');
  IF current_app_user_id() IS NOT NULL THEN
    -- A request issues today; only the operator's own work (demo data, imports) keeps its dates.
    NEW.issued_at := now();
    NEW.invoice_date := today;
    IF NEW.due_date IS NULL OR NEW.due_date < today THEN
      NEW.due_date := today + 30;
    END IF;
  END IF;
  NEW.issued_at := coalesce(NEW.issued_at, now());
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION number_invoice() FROM PUBLIC;
CREATE TRIGGER number_invoice BEFORE INSERT OR UPDATE OF status ON invoices
  FOR EACH ROW EXECUTE FUNCTION number_invoice();

-- A credit note credits an issued invoice of the same patient, at most what is still owed.
-- The invoice is locked first, so two credit notes (or a credit note and a payment) at once
-- are checked one after the other.
CREATE FUNCTION validate_credit_note() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  credited invoices;
BEGIN
  IF NEW.kind <> 'credit_note' THEN
    RETURN NEW;
  END IF;
  SELECT * INTO credited FROM invoices i
  WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.credited_invoice_id AND i.deleted_at IS NULL FOR UPDATE;
  IF NOT FOUND OR credited.kind <> 'invoice' OR credited.status NOT IN ('issued', 'partially_paid', 'overdue') THEN
    RAISE EXCEPTION 'Only an issued invoice with something still owed can be credited'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_within_balance', HINT = 'clinicdesk:user-message';
  END IF;
  IF NEW.status <> 'issued' THEN
    RAISE EXCEPTION 'A credit note is issued when it is written' USING ERRCODE = 'check_violation';
  END IF;
  NEW.patient_id := credited.patient_id;
  NEW.clinic_id := credited.clinic_id;
  NEW.appointment_id := NULL;
  NEW.currency := credited.currency;
  NEW.insurer_percent := 0;
  NEW.insurer_amount := 0;
  IF NEW.total_amount > credited.total_amount - credited.amount_paid - credited.amount_credited THEN
    RAISE EXCEPTION 'A credit note credits at most the % % still owed on %; refund a payment first to give money back',
      credited.currency, credited.total_amount - credited.amount_paid - credited.amount_credited, credited.invoice_number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_within_balance', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION validate_credit_note() FROM PUBLIC;
CREATE TRIGGER validate_credit_note BEFORE INSERT ON invoices
  FOR EACH ROW EXECUTE FUNCTION validate_credit_note();

-- What is paid (net of refunds) and credited, and the status that follows; a credit note is
-- settled by itself (applied in full to the invoice it credits).
CREATE FUNCTION settle_invoice(p_tenant_id uuid, p_invoice_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  paid numeric(12, 2);
  credited numeric(12, 2);
BEGIN
  SELECT coalesce(sum(p.amount - p.refund_amount), 0) INTO paid FROM payments p
  WHERE p.tenant_id = p_tenant_id AND p.invoice_id = p_invoice_id AND p.deleted_at IS NULL
    AND p.payment_status IN ('completed', 'partially_refunded', 'refunded');
  SELECT coalesce(sum(c.total_amount), 0) INTO credited FROM invoices c
  WHERE c.tenant_id = p_tenant_id AND c.credited_invoice_id = p_invoice_id AND c.status <> 'draft' AND c.deleted_at IS NULL;
  UPDATE invoices i
  SET amount_paid = CASE WHEN i.kind = 'credit_note' THEN 0 ELSE paid END,
      amount_credited = CASE WHEN i.kind = 'credit_note' THEN i.total_amount ELSE credited END,
      status = CASE
        WHEN i.status IN ('draft', 'cancelled') OR i.kind = 'credit_note' THEN i.status
        WHEN credited >= i.total_amount AND i.total_amount > 0 THEN 'credited'
        WHEN paid + credited >= i.total_amount THEN 'paid'
        WHEN paid + credited > 0 THEN 'partially_paid'
        WHEN i.status IN ('overdue', 'refunded') OR i.due_date < current_date THEN 'overdue'
        ELSE 'issued' END,
      paid_at = CASE WHEN i.kind = 'invoice' AND paid > 0 AND paid + credited >= i.total_amount THEN coalesce(i.paid_at, now()) END
  WHERE i.tenant_id = p_tenant_id AND i.id = p_invoice_id;
END $$;
REVOKE ALL ON FUNCTION settle_invoice(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION settle_credited_invoice() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  PERFORM settle_invoice(NEW.tenant_id, NEW.id);
  PERFORM settle_invoice(NEW.tenant_id, NEW.credited_invoice_id);
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION settle_credited_invoice() FROM PUBLIC;
CREATE TRIGGER settle_credited_invoice AFTER INSERT ON invoices
  FOR EACH ROW WHEN (NEW.kind = 'credit_note') EXECUTE FUNCTION settle_credited_invoice();

-- ---------------------------------------------------------------------------
-- Payments: at most what is still owed, checked with the invoice locked.
-- ---------------------------------------------------------------------------
-- What a payment by this method may still take on the invoice. With an insurer's share set, the
-- insurer's part is paid by insurance and the patient's part otherwise; without one, anyone pays
-- the balance. Invoker: a request sees only its clinic.
CREATE FUNCTION amount_payable(p_tenant_id uuid, p_invoice_id uuid, p_method text) RETURNS numeric
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE WHEN i.insurer_percent = 0 THEN i.balance_due
              WHEN p_method = 'insurance' THEN least(i.balance_due, greatest(i.insurer_amount - insurer.paid, 0))
              ELSE greatest(i.balance_due - greatest(i.insurer_amount - insurer.paid, 0), 0) END
  FROM invoices i
  CROSS JOIN LATERAL (
    SELECT coalesce(sum(p.amount - p.refund_amount), 0) AS paid FROM payments p
    WHERE p.tenant_id = i.tenant_id AND p.invoice_id = i.id AND p.payment_method = 'insurance' AND p.deleted_at IS NULL
  ) insurer
  WHERE i.tenant_id = p_tenant_id AND i.id = p_invoice_id AND i.kind = 'invoice'
    AND i.status IN ('issued', 'partially_paid', 'overdue', 'refunded')
$$;
REVOKE ALL ON FUNCTION amount_payable(uuid, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION amount_payable(uuid, uuid, text) TO clinic_app;

CREATE FUNCTION check_payment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  invoice invoices;
  payable numeric;
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- The lock: a second desk paying this invoice waits here until the first has committed.
  SELECT * INTO invoice FROM invoices i WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.invoice_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW; -- the foreign key refuses it
  END IF;
  NEW.patient_id := invoice.patient_id;
  NEW.currency := invoice.currency;
  IF current_app_user_id() IS NOT NULL THEN
    -- Taken now, whole; refunds are written as refunds.
    NEW.paid_at := now();
    NEW.payment_status := 'completed';
    NEW.refund_amount := 0;
    NEW.refunded_at := NULL;
    NEW.refund_reason := NULL;
  END IF;
  payable := amount_payable(NEW.tenant_id, NEW.invoice_id, NEW.payment_method);
  IF payable IS NULL THEN
    RAISE EXCEPTION 'Only an issued invoice takes payments'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_within_balance', HINT = 'clinicdesk:user-message';
  END IF;
  IF NEW.amount - NEW.refund_amount > payable THEN
    RAISE EXCEPTION 'Overpayment refused: % % is payable on % by this method', invoice.currency, payable, invoice.invoice_number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_within_balance', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION check_payment() FROM PUBLIC;
CREATE TRIGGER check_payment BEFORE INSERT ON payments
  FOR EACH ROW EXECUTE FUNCTION check_payment();

-- A payment is never edited or archived by a request: it is refunded (refunds below).
CREATE FUNCTION guard_payment_edits() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.deleted_at IS DISTINCT FROM OLD.deleted_at
     OR (NOT acting_as_owner() AND (to_jsonb(NEW) - 'notes' - 'updated_at') <> (to_jsonb(OLD) - 'notes' - 'updated_at')) THEN
    RAISE EXCEPTION 'A payment is never changed or archived: refund it instead'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION guard_payment_edits() FROM PUBLIC;
CREATE TRIGGER guard_payment_edits BEFORE UPDATE ON payments
  FOR EACH ROW EXECUTE FUNCTION guard_payment_edits();

-- The seed's trigger, now settling credits as well.
CREATE OR REPLACE FUNCTION apply_payments_to_invoice() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  PERFORM settle_invoice(NEW.tenant_id, NEW.invoice_id);
  RETURN NULL;
END $$;

-- ---------------------------------------------------------------------------
-- Refunds: each one a row (who gave it back, when, why), never more than is left of the payment.
-- ---------------------------------------------------------------------------
CREATE TABLE refunds (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  refund_number  text NOT NULL,
  payment_id     uuid NOT NULL,
  invoice_id     uuid NOT NULL,
  amount         numeric(12, 2) NOT NULL CHECK (amount > 0),
  currency       char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- Money goes back the way it came: copied from the payment.
  payment_method text NOT NULL,
  reason         text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
  refunded_by    uuid,
  refunded_at    timestamptz NOT NULL DEFAULT now(),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, refund_number),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
  FOREIGN KEY (tenant_id, refunded_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX idx_refunds_payment ON refunds (tenant_id, payment_id);
CREATE INDEX idx_refunds_refunded_at ON refunds (tenant_id, refunded_at);
CREATE TRIGGER assign_refund_number BEFORE INSERT ON refunds
  FOR EACH ROW EXECUTE FUNCTION assign_record_number('refund_number', 'RFD', 'yearly');
CREATE TRIGGER stamp_author BEFORE INSERT ON refunds FOR EACH ROW EXECUTE FUNCTION stamp_author('refunded_by');
SELECT declare_tenant_table('refunds', inserts => ARRAY['payments.refund'], reads => ARRAY['billing.read']);
-- A refund belongs to its payment's clinic (payments are fenced to their invoice's clinic).
CREATE POLICY own_clinic_refunds ON refunds AS RESTRICTIVE FOR ALL TO clinic_app
  USING (EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = refunds.tenant_id AND p.id = refunds.payment_id))
  WITH CHECK (EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = refunds.tenant_id AND p.id = refunds.payment_id));

CREATE FUNCTION check_refund() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  payment payments;
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- The lock: a second refund of this payment waits here until the first has committed.
  SELECT * INTO payment FROM payments p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.payment_id AND p.deleted_at IS NULL FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW; -- the foreign key refuses it
  END IF;
  NEW.invoice_id := payment.invoice_id;
  NEW.currency := payment.currency;
  NEW.payment_method := payment.payment_method;
  IF current_app_user_id() IS NOT NULL THEN
    NEW.refunded_at := now();
  END IF;
  IF NEW.amount > payment.amount - payment.refund_amount THEN
    RAISE EXCEPTION 'Refund refused: % % of payment % is left to refund', payment.currency,
      payment.amount - payment.refund_amount, payment.payment_number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refund_within_payment', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION check_refund() FROM PUBLIC;
CREATE TRIGGER check_refund BEFORE INSERT ON refunds
  FOR EACH ROW EXECUTE FUNCTION check_refund();

CREATE FUNCTION apply_refund() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  UPDATE payments p
  SET refund_amount = p.refund_amount + NEW.amount,
      refunded_at = NEW.refunded_at,
      refund_reason = NEW.reason,
      payment_status = CASE WHEN p.refund_amount + NEW.amount = p.amount THEN 'refunded' ELSE 'partially_refunded' END
  WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.payment_id;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION apply_refund() FROM PUBLIC;
CREATE TRIGGER apply_refund AFTER INSERT ON refunds
  FOR EACH ROW EXECUTE FUNCTION apply_refund();

-- ---------------------------------------------------------------------------
-- Cash-up: for a day of the clinic, each person's takings by method, and what they counted.
-- ---------------------------------------------------------------------------
-- Taken minus given back, per person and method, on one day of the clinic (its timezone).
-- Invoker: a request sees its own clinic's till; the filters also fence the owner's calls.
CREATE FUNCTION till_takings(p_tenant_id uuid, p_clinic_id uuid, p_day date)
RETURNS TABLE (cashier_id uuid, payment_method text, taken numeric, refunded numeric, expected numeric)
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
  WITH clinic AS (
    SELECT c.timezone FROM clinics c WHERE c.tenant_id = p_tenant_id AND c.id = p_clinic_id
  ),
  movements AS (
    SELECT p.received_by AS cashier_id, p.payment_method, p.amount AS taken, 0::numeric AS refunded
    FROM payments p CROSS JOIN clinic
    JOIN invoices i ON i.tenant_id = p.tenant_id AND i.id = p.invoice_id AND i.clinic_id = p_clinic_id
    WHERE p.tenant_id = p_tenant_id AND p.deleted_at IS NULL AND p.received_by IS NOT NULL
      AND p.paid_at >= (p_day::timestamp AT TIME ZONE clinic.timezone)
      AND p.paid_at < ((p_day + 1)::timestamp AT TIME ZONE clinic.timezone)
    UNION ALL
    SELECT r.refunded_by, r.payment_method, 0, r.amount
    FROM refunds r CROSS JOIN clinic
    JOIN invoices i ON i.tenant_id = r.tenant_id AND i.id = r.invoice_id AND i.clinic_id = p_clinic_id
    WHERE r.tenant_id = p_tenant_id AND r.refunded_by IS NOT NULL
      AND r.refunded_at >= (p_day::timestamp AT TIME ZONE clinic.timezone)
      AND r.refunded_at < ((p_day + 1)::timestamp AT TIME ZONE clinic.timezone)
  )
  SELECT m.cashier_id, m.payment_method, sum(m.taken), sum(m.refunded), sum(m.taken) - sum(m.refunded)
  FROM movements m GROUP BY m.cashier_id, m.payment_method
$$;
REVOKE ALL ON FUNCTION till_takings(uuid, uuid, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION till_takings(uuid, uuid, date) TO clinic_app;

CREATE TABLE cash_ups (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id      uuid NOT NULL,
  business_day   date NOT NULL,
  -- Whose takings were counted, and by which method.
  cashier_id     uuid NOT NULL,
  payment_method text NOT NULL CHECK (payment_method IN ('cash', 'card', 'bank_transfer', 'insurance', 'mobile_money', 'cheque', 'other')),
  -- What the app says was taken (written by the database when the count is recorded).
  expected       numeric(12, 2) NOT NULL DEFAULT 0,
  counted        numeric(12, 2) NOT NULL CHECK (counted >= 0),
  difference     numeric(12, 2) GENERATED ALWAYS AS (counted - expected) STORED,
  note           text CHECK (length(btrim(note)) BETWEEN 1 AND 500),
  counted_by     uuid,
  counted_at     timestamptz NOT NULL DEFAULT now(),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, clinic_id, business_day, cashier_id, payment_method),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id),
  FOREIGN KEY (tenant_id, cashier_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, counted_by) REFERENCES users (tenant_id, id)
);
CREATE TRIGGER default_clinic_id BEFORE INSERT ON cash_ups FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
SELECT declare_tenant_table('cash_ups', inserts => ARRAY['payments.take'], updates => ARRAY['payments.take'],
                            reads => ARRAY['billing.read']);
CREATE POLICY own_clinic_cash_ups ON cash_ups AS RESTRICTIVE FOR ALL TO clinic_app
  USING (clinic_id = (SELECT current_app_clinic_id())) WITH CHECK (clinic_id = (SELECT current_app_clinic_id()));

-- The expected amount is the database's, at the moment of each count (a recount updates it).
CREATE FUNCTION count_till() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.tenant_id, NEW.clinic_id, NEW.business_day, NEW.cashier_id, NEW.payment_method)
                          IS DISTINCT FROM (OLD.tenant_id, OLD.clinic_id, OLD.business_day, OLD.cashier_id, OLD.payment_method) THEN
    RAISE EXCEPTION 'A count stays with its day, person and method' USING ERRCODE = 'check_violation';
  END IF;
  NEW.expected := coalesce((SELECT t.expected FROM till_takings(NEW.tenant_id, NEW.clinic_id, NEW.business_day) t
                            WHERE t.cashier_id = NEW.cashier_id AND t.payment_method = NEW.payment_method), 0);
  IF current_app_user_id() IS NOT NULL THEN
    NEW.counted_by := current_app_user_id();
    NEW.counted_at := now();
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION count_till() FROM PUBLIC;
CREATE TRIGGER count_till BEFORE INSERT OR UPDATE ON cash_ups
  FOR EACH ROW EXECUTE FUNCTION count_till();

-- ---------------------------------------------------------------------------
-- Money is read by billing staff (billing.read) only.
-- ---------------------------------------------------------------------------
SELECT require_read_permission('invoices', ARRAY['billing.read']);
SELECT require_read_permission('payments', ARRAY['billing.read']);
SELECT require_read_permission('price_list', ARRAY['billing.read']);

-- ---------------------------------------------------------------------------
-- The seed's views over invoices, again with the new balance; credit notes are not revenue
-- of their own: they reduce what was invoiced.
-- ---------------------------------------------------------------------------
CREATE VIEW patient_summary WITH (security_invoker = true) AS
SELECT
  p.tenant_id,
  p.id AS patient_id,
  p.patient_number,
  p.first_name,
  p.last_name,
  p.first_name || ' ' || p.last_name AS full_name,
  p.date_of_birth,
  extract(year FROM age(current_date, p.date_of_birth))::integer AS age,
  p.gender,
  p.phone,
  p.email,
  jsonb_array_length(p.allergies) AS allergy_count,
  coalesce(a.total_appointments, 0) AS total_appointments,
  coalesce(a.completed_appointments, 0) AS completed_appointments,
  coalesce(a.missed_appointments, 0) AS missed_appointments,
  a.last_visit_at,
  a.next_appointment_at,
  coalesce(b.total_invoiced, 0)::numeric(12, 2) AS total_invoiced,
  coalesce(b.total_paid, 0)::numeric(12, 2) AS total_paid,
  coalesce(b.outstanding_balance, 0)::numeric(12, 2) AS outstanding_balance,
  coalesce(rx.active_prescriptions, 0) AS active_prescriptions,
  coalesce(t.pending_tests, 0) AS pending_tests,
  p.created_at AS registered_at
FROM patients p
LEFT JOIN LATERAL (
  SELECT count(*) AS total_appointments,
         count(*) FILTER (WHERE status = 'completed') AS completed_appointments,
         count(*) FILTER (WHERE status = 'no_show') AS missed_appointments,
         max(starts_at) FILTER (WHERE status = 'completed') AS last_visit_at,
         min(starts_at) FILTER (WHERE starts_at > now() AND status IN ('scheduled', 'confirmed')) AS next_appointment_at
  FROM appointments WHERE tenant_id = p.tenant_id AND patient_id = p.id
) a ON true
LEFT JOIN LATERAL (
  SELECT sum(total_amount - amount_credited) AS total_invoiced, sum(amount_paid) AS total_paid,
         sum(balance_due) FILTER (WHERE status <> 'draft') AS outstanding_balance
  FROM invoices WHERE tenant_id = p.tenant_id AND patient_id = p.id AND status <> 'cancelled' AND kind = 'invoice'
) b ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS active_prescriptions
  FROM prescriptions WHERE tenant_id = p.tenant_id AND patient_id = p.id AND status = 'active'
) rx ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS pending_tests
  FROM diagnostic_tests WHERE tenant_id = p.tenant_id AND patient_id = p.id
    AND status NOT IN ('completed', 'cancelled')
) t ON true;

CREATE VIEW revenue_summary WITH (security_invoker = true) AS
SELECT
  i.tenant_id,
  i.clinic_id,
  date_trunc('month', i.invoice_date)::date AS month,
  i.currency,
  count(*) AS invoice_count,
  sum(i.subtotal)::numeric(14, 2) AS gross_amount,
  sum(i.discount_amount)::numeric(14, 2) AS discounts,
  sum(i.tax_amount)::numeric(14, 2) AS taxes,
  sum(i.total_amount)::numeric(14, 2) AS total_invoiced,
  sum(i.amount_credited)::numeric(14, 2) AS total_credited,
  sum(i.amount_paid)::numeric(14, 2) AS total_collected,
  sum(i.balance_due)::numeric(14, 2) AS outstanding,
  count(*) FILTER (WHERE i.status = 'paid') AS paid_invoices,
  count(*) FILTER (WHERE i.status = 'overdue') AS overdue_invoices
FROM invoices i
WHERE i.status NOT IN ('draft', 'cancelled') AND i.kind = 'invoice'
GROUP BY i.tenant_id, i.clinic_id, date_trunc('month', i.invoice_date), i.currency;

GRANT SELECT ON patient_summary, revenue_summary TO clinic_app;
