-- The demo clinic, part 1: Riverside Family Clinic (tenant slug 'demo'), its staff, patients
-- and calendar. Loaded by loadDemoClinic (electron/server/db/demo-clinic.ts) after every
-- migration, by the owner, in one transaction with the other demo/ files; the audit triggers
-- record it as the clinic's history. The five roles come from create_default_roles().
-- Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.
--
-- All sign-ins use the password "clinicdesk-demo" (only its scrypt hashes are stored).
-- Fixed ids, for tests:
--   tenant   00000000-0000-4000-8000-000000000001     clinic 00000000-0000-4000-8000-000000000002
--   users    …000000000101 admin, …102 Dr Patel, …103 Dr Okafor, …104 nurse, …105 reception, …106 billing
--   patients …000000000201 to …000000000250 (patient numbers P-000001 to P-000050 in the same order)
--
-- The calendar is built relative to now() in the clinic's timezone, so the demo always shows
-- the current week (Monday to Saturday) and the next one: past slots are completed (a few
-- no-shows and cancellations), today has a waiting queue, later slots are booked. Earlier
-- visits go back about three months. Slots never overlap for a doctor (they sit on each
-- doctor's grid), lunch is 12:30-13:30 on weekdays, and two windows are always kept free
-- on weekdays for trying out booking: Dr Patel 16:00-17:00 and Dr Okafor 14:00-15:00.

-- A non-superuser owner is held to the current tenant by RLS; the number triggers check it too.
SELECT set_config('app.current_tenant_id', '00000000-0000-4000-8000-000000000001', true);

-- ---------------------------------------------------------------------------
-- Tenant, clinic, roles, staff
-- ---------------------------------------------------------------------------
INSERT INTO tenants (id, name, slug, email, phone, subscription_plan, subscription_status)
VALUES ('00000000-0000-4000-8000-000000000001', 'Riverside Family Clinic', 'demo',
        'office@riverside-clinic.example', '+44 20 7946 0100', 'offline', 'active');

INSERT INTO clinics (tenant_id, id, name, license_number, tax_id, email, phone, website,
                     address_line1, address_line2, city, state, postal_code, country,
                     timezone, currency, language)
VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002',
        'Riverside Family Clinic', 'CQC 1-4408127391', 'GB 284 7719 36',
        'reception@riverside-clinic.example', '020 7946 0100', 'https://riverside-clinic.example',
        '2 Riverside Walk', 'Putney', 'London', 'Greater London', 'SW15 6QR', 'United Kingdom',
        'Europe/London', 'GBP', 'en-GB');

SELECT create_default_roles('00000000-0000-4000-8000-000000000001');

INSERT INTO users (tenant_id, id, clinic_id, role_id, email, password_hash, title, first_name, last_name,
                   phone, gender, specialization, license_number, qualification, years_of_experience,
                   consultation_fee, default_slot_minutes, working_hours, calendar_color)
SELECT '00000000-0000-4000-8000-000000000001', u.id::uuid, '00000000-0000-4000-8000-000000000002',
       (SELECT r.id FROM roles r WHERE r.tenant_id = '00000000-0000-4000-8000-000000000001' AND r.name = u.role),
       u.email, u.password_hash, u.title, u.first_name, u.last_name, u.phone, u.gender,
       u.specialization, u.license_number, u.qualification, u.years_of_experience, u.consultation_fee,
       u.default_slot_minutes,
       CASE WHEN u.specialization IS NOT NULL THEN
         '{"mon":[["08:00","12:30"],["13:30","18:00"]],"tue":[["08:00","12:30"],["13:30","18:00"]],
           "wed":[["08:00","12:30"],["13:30","18:00"]],"thu":[["08:00","12:30"],["13:30","18:00"]],
           "fri":[["08:00","12:30"],["13:30","18:00"]],"sat":[["09:00","13:00"]],"sun":[]}'::jsonb END,
       u.calendar_color
FROM (VALUES
  ('00000000-0000-4000-8000-000000000101', 'admin', 'admin@demo.clinic',
   'scrypt$16384$8$1$4i5lcQWwGpDyqJIfez4Nqw==$t1TGidAPiXdYGWrTcZF4V2cKR/GOs2q8OFB4NSHGZWOh6DTRKY7XTf0Fxga6urkXzZX9x23wW9eXLd1UCysL1w==',
   NULL, 'Alex', 'Morgan', '020 7946 0101', NULL, NULL, NULL, NULL, NULL, NULL::numeric, 15, NULL),
  ('00000000-0000-4000-8000-000000000102', 'doctor', 'dr.patel@demo.clinic',
   'scrypt$16384$8$1$evRCVKcVI+uT0diqyJjz9g==$6aRf9eV8xEm1kyAEsoej27zLJau9XEzfzI04vEkd9/GPs41IkbdqTF0UCcFHOnHzQs3AfJTeTgEDmFUWcst2Dw==',
   'Dr', 'Priya', 'Patel', '020 7946 0102', 'Female', 'General Practice', 'GMC 7264815',
   'MBBS, MRCGP, DRCOG', 14, 60.00, 15, '#2563eb'),
  ('00000000-0000-4000-8000-000000000103', 'doctor', 'dr.okafor@demo.clinic',
   'scrypt$16384$8$1$d4WlPOD5t3n4rTTc48erYA==$f1xuA9swAmrWBRo+nJNlOuIpzTohR24/67ay5t/WC3edhLx4jLErRn9oOF0SLMUvzq9yTP4L61RbuBX9XvYSuw==',
   'Dr', 'James', 'Okafor', '020 7946 0103', 'Male', 'Paediatrics', 'GMC 6831902',
   'MBBS, MRCPCH', 19, 75.00, 20, '#16a34a'),
  ('00000000-0000-4000-8000-000000000104', 'nurse', 'nurse@demo.clinic',
   'scrypt$16384$8$1$FAfyVZhHkl2NJg7lA5Lceg==$lzQSRMEBdkptFrVGov9eYBv6cfUCJWArzwju4O3sNzIagn0yvH7F38foX0KpOyyUlnEqquDzpxli4bJD0IZXng==',
   NULL, 'Sarah', 'Lindqvist', '020 7946 0104', 'Female', NULL, 'NMC 09I2874E', 'BSc (Hons) Adult Nursing',
   11, NULL, 15, NULL),
  ('00000000-0000-4000-8000-000000000105', 'receptionist', 'reception@demo.clinic',
   'scrypt$16384$8$1$MPRSGIBUMjTU9TOzivqd3g==$LplToyjvehhexaXDT/uOhD0FUIaxDA00qMK+pxirsaXSIqBWtuYuZW5X8JS0axe3kkUWwwffmdRHn9gNdGrTLQ==',
   NULL, 'Maria', 'Garcia', '020 7946 0105', 'Female', NULL, NULL, NULL, NULL, NULL, 15, NULL),
  ('00000000-0000-4000-8000-000000000106', 'billing', 'billing@demo.clinic',
   'scrypt$16384$8$1$pLjRhEP0ymUbe7j6FM1GJg==$tj5qfAnPSNbkYSMWc+h5o3IyW4ud9aFS1gNMeOp5JIYp0U/CJ7O/J5s7NnxQ947A0lr3KMTqQ3bs7RefqH+yzg==',
   NULL, 'Tom', 'Becker', '020 7946 0106', 'Male', NULL, NULL, NULL, NULL, NULL, 15, NULL)
) AS u (id, role, email, password_hash, title, first_name, last_name, phone, gender, specialization,
        license_number, qualification, years_of_experience, consultation_fee, default_slot_minutes, calendar_color)
ORDER BY u.id;

-- ---------------------------------------------------------------------------
-- Patients. Adults are registered with Dr Patel, children with Dr Okafor. The patient
-- number comes from the trigger, in the order below (ORDER BY the fixed id).
-- Phones use the Ofcom ranges reserved for fiction; NHS numbers the 999 test range.
-- ---------------------------------------------------------------------------
INSERT INTO patients (
  tenant_id, id, clinic_id, first_name, middle_name, last_name, date_of_birth, gender, blood_group,
  marital_status, occupation, preferred_language, national_id, email, phone, alternate_phone,
  address_line1, address_line2, city, postal_code, country,
  emergency_contact_name, emergency_contact_phone, emergency_contact_relationship,
  allergies, medical_history, current_medications, insurance_info, alerts, notes,
  primary_care_physician_id, created_by, created_at)
SELECT '00000000-0000-4000-8000-000000000001',
       ('00000000-0000-4000-8000-' || lpad((200 + v.n)::text, 12, '0'))::uuid,
       '00000000-0000-4000-8000-000000000002',
       v.first_name, v.middle_name, v.last_name, v.date_of_birth::date, v.gender, v.blood_group,
       v.marital_status, v.occupation, v.preferred_language, v.national_id, v.email, v.phone, v.alternate_phone,
       v.address_line1, v.address_line2, v.city, v.postal_code, 'United Kingdom',
       v.emergency_contact_name, v.emergency_contact_phone, v.emergency_contact_relationship,
       v.allergies::jsonb, v.medical_history::jsonb, v.current_medications::jsonb, v.insurance_info::jsonb,
       v.alerts, v.notes,
       CASE v.pcp WHEN 'patel' THEN '00000000-0000-4000-8000-000000000102'::uuid
                  ELSE '00000000-0000-4000-8000-000000000103'::uuid END,
       '00000000-0000-4000-8000-000000000105',
       now() - make_interval(days => v.registered_days_ago)
FROM (VALUES
  -- 1
  (1, 'John', NULL, 'Smith', '1968-03-14', 'Male', 'O+', 'married', 'Bus driver', 'en', '999 526 0182',
   'john.smith68@example.com', '+44 7700 900123', NULL, '17 Willow Crescent', NULL, 'London', 'SW15 2PA',
   'Karen Smith', '07700 900124', 'Wife',
   '[]',
   '[{"condition":"Hypertension","since":"2015","notes":"Diagnosed after routine check; home readings well controlled"}]',
   '[{"name":"Amlodipine","dose":"5 mg","frequency":"Once daily"}]',
   '{}', NULL, NULL, 'patel', 1710),
  (2, 'Jon', NULL, 'Smyth', '1975-09-02', 'Male', 'A+', 'single', 'Software tester', 'en', '999 159 0838',
   'jon.smyth@example.net', '07700 900456', NULL, 'Flat 3', '41 Ferry Lane', 'London', 'SW18 1NE',
   'Robert Smyth', '07700 900457', 'Brother',
   '[{"substance":"Ibuprofen","reaction":"Wheeze and chest tightness","severity":"moderate"}]',
   '[{"condition":"Asthma","since":"1990","notes":"Childhood onset, mild; uses reliever a few times a month"}]',
   '[{"name":"Salbutamol 100 micrograms inhaler","dose":"2 puffs","frequency":"As needed"}]',
   '{}', NULL, NULL, 'patel', 930),
  (3, 'José', NULL, 'Hernández', '1982-06-21', 'Male', 'O-', 'married', 'Chef', 'es', '999 016 6137',
   'jose.hernandez@example.com', '+44 7700 900187', '020 7946 0187', '8 Chelverton Mews', NULL, 'London', 'SW15 1RH',
   'Lucía Hernández', '07700 900188', 'Wife',
   '[{"substance":"Penicillin","reaction":"Anaphylaxis (2009): throat swelling, collapse","severity":"severe"}]',
   '[{"condition":"Burn to left forearm","since":"2021-08-03","notes":"Kitchen burn, healed with minor scarring"}]',
   '[]',
   '{"provider":"Thameside Health Assurance","policy_number":"THA-4471902","group_number":"GRP-0193","valid_until":"2027-08-31"}',
   'Severe penicillin allergy: no penicillins or co-amoxiclav', 'Prefers appointments after 15:00 (works split shifts).',
   'patel', 1250),
  (4, 'Zoë', NULL, 'Müller', '1991-11-08', 'Female', 'AB+', 'partnered', 'Architect', 'de', '999 186 0916',
   'zoe.mueller@example.org', '07700 900233', NULL, '22 Oxford Road', NULL, 'London', 'SW15 2LQ',
   'Daniel Price', '07700 900234', 'Partner',
   '[{"substance":"Latex","reaction":"Contact dermatitis","severity":"mild"}]',
   '[{"condition":"Migraine without aura","since":"2008","notes":"About two attacks a month"}]',
   '[{"name":"Sumatriptan","dose":"50 mg","frequency":"At onset of migraine, max 2 doses in 24 hours"}]',
   '{"provider":"Northgate Health","policy_number":"NGH-88210457","group_number":null,"valid_until":"2027-01-31"}',
   NULL, NULL, 'patel', 820),
  (5, 'Siobhán', NULL, 'O''Brien', '1958-04-30', 'Female', 'A-', 'widowed', 'Retired teacher', 'en', '999 390 9963',
   'siobhan.obrien@example.com', '(020) 7946 0018', '07700 900311', '5 Hotham Road', NULL, 'London', 'SW15 1QL',
   'Ciara O''Brien', '07700 900312', 'Daughter',
   '[]',
   '[{"condition":"Type 2 diabetes","since":"2012","notes":"Diet and metformin"},{"condition":"Osteoarthritis of both knees","since":"2016","notes":"Worse on stairs"}]',
   '[{"name":"Metformin","dose":"500 mg","frequency":"Twice daily with meals"},{"name":"Paracetamol","dose":"1 g","frequency":"Up to four times daily when needed"}]',
   '{}', 'Hard of hearing: face her when speaking and give written instructions', NULL, 'patel', 2400),
  (6, 'Margaret', 'Anne', 'Thompson', '1941-02-17', 'Female', 'O+', 'widowed', 'Retired seamstress', 'en', '999 030 8241',
   NULL, '020 7946 0542', NULL, 'Flat 1, Mulberry Court', '90 Upper Richmond Road', 'London', 'SW15 2SH',
   'Helen Carter', '07700 900543', 'Daughter',
   '[{"substance":"Adhesive dressings","reaction":"Skin blistering","severity":"mild"}]',
   '[{"condition":"Atrial fibrillation","since":"2019","notes":"Rate controlled, anticoagulated"},{"condition":"Heart failure","since":"2021-03-12","notes":"Ejection fraction 40%"},{"condition":"Hypertension","since":"1998","notes":null}]',
   '[{"name":"Apixaban","dose":"2.5 mg","frequency":"Twice daily"},{"name":"Bisoprolol","dose":"2.5 mg","frequency":"Once daily"},{"name":"Ramipril","dose":"5 mg","frequency":"Once daily"},{"name":"Spironolactone","dose":"25 mg","frequency":"Once daily"}]',
   '{}', 'Needs wheelchair access', 'Daughter usually books and attends with her.', 'patel', 2900),
  (7, 'Aisha', NULL, 'Rahman', '1988-07-05', 'Female', 'B+', 'married', 'Pharmacist', 'en', '999 628 1949',
   'aisha.rahman@example.com', '07700 900614', NULL, '63 Disraeli Road', NULL, 'London', 'SW15 2DR',
   'Imran Rahman', '07700 900615', 'Husband',
   '[]',
   '[{"condition":"Gestational diabetes","since":"2019","notes":"Resolved after delivery; annual HbA1c advised"}]',
   '[]',
   '{}', NULL, NULL, 'patel', 2100),
  (8, 'Mohammed', NULL, 'Al-Farsi', '1979-12-12', 'Male', 'B+', 'married', 'Taxi driver', 'ar', '999 821 9930',
   'm.alfarsi@example.net', '+447700900372', NULL, '14 Burstock Road', NULL, 'London', 'SW15 2PW',
   'Layla Al-Farsi', '07700 900373', 'Wife',
   '[{"substance":"Sulfonamides (co-trimoxazole)","reaction":"Widespread itchy rash","severity":"moderate"}]',
   '[{"condition":"Type 2 diabetes","since":"2018","notes":null},{"condition":"Hyperlipidaemia","since":"2018","notes":null}]',
   '[{"name":"Metformin","dose":"1 g","frequency":"Twice daily"},{"name":"Atorvastatin","dose":"20 mg","frequency":"At night"}]',
   '{}', NULL, 'Night shifts; mornings are hard to attend.', 'patel', 1600),
  (9, 'Wei', NULL, 'Chen', '1995-03-27', 'Male', 'A+', 'single', 'PhD student', 'zh', '999 518 1908',
   'wei.chen95@example.org', '07700 900905', NULL, 'Room 12, Putney Student House', '3 Lacy Road', 'London', 'SW15 1NL',
   'Chen Hua', '+86 10 5555 0123', 'Mother',
   '[]', '[]', '[]',
   '{}', NULL, NULL, 'patel', 420),
  (10, 'Olumide', NULL, 'Adebayo', '1970-08-19', 'Male', 'O+', 'married', 'Civil engineer', 'en', '999 231 9488',
   'olumide.adebayo@example.com', '07700-900-148', NULL, '29 Westleigh Avenue', NULL, 'London', 'SW15 6RF',
   'Funmi Adebayo', '07700 900149', 'Wife',
   '[]',
   '[{"condition":"Hypertension","since":"2017","notes":null},{"condition":"Gout","since":"2020-05-18","notes":"Right big toe, two flares"}]',
   '[{"name":"Amlodipine","dose":"10 mg","frequency":"Once daily"},{"name":"Allopurinol","dose":"100 mg","frequency":"Once daily"}]',
   '{"provider":"Albion Medical Cover","policy_number":"AMC-2290311","group_number":"ENG-4410","valid_until":"2027-12-31"}',
   NULL, NULL, 'patel', 1980),
  (11, 'Agnieszka', NULL, 'Kowalczyk', '1986-01-23', 'Female', 'A+', 'married', 'Staff nurse', 'pl', '999 757 4915',
   'agnieszka.k@example.com', '+44 (0)7700 900529', NULL, '7 Felsham Road', NULL, 'London', 'SW15 1AZ',
   'Piotr Kowalczyk', '07700 900530', 'Husband',
   '[]',
   '[{"condition":"Hypothyroidism","since":"2014","notes":"Autoimmune"}]',
   '[{"name":"Levothyroxine","dose":"100 micrograms","frequency":"Once daily before breakfast"}]',
   '{}', NULL, NULL, 'patel', 1340),
  (12, 'Björn', NULL, 'Andersson', '1963-10-02', 'Male', 'A-', 'divorced', 'Sound engineer', 'sv', '999 186 2528',
   'bjorn.andersson@example.net', '020 7946 0771', NULL, '46 Charlwood Road', NULL, 'London', 'SW15 1PW',
   'Karin Andersson', '07700 900287', 'Former wife',
   '[{"substance":"House dust mite","reaction":"Rhinitis","severity":"mild"}]',
   '[{"condition":"Tinnitus","since":"2011","notes":"Bilateral, noise-induced"}]',
   '[{"name":"Cetirizine","dose":"10 mg","frequency":"Once daily"}]',
   '{}', NULL, 'Wears hearing protection at work; annual audiology.', 'patel', 760),
  (13, 'Chloé', NULL, 'Dubois', '1999-05-14', 'Female', 'O+', 'single', 'Barista and student', 'fr', '999 760 1890',
   'chloe.dubois@example.com', '07700 900688', NULL, 'Flat B', '112 Lower Richmond Road', 'London', 'SW15 1LN',
   'Sophie Dubois', '+33 1 99 00 12 34', 'Mother',
   '[{"substance":"Wasp and bee stings","reaction":"Anaphylaxis (2017)","severity":"severe"}]',
   '[{"condition":"Atopic eczema","since":"2001","notes":"Mild, hands in winter"}]',
   '[{"name":"Adrenaline auto-injector","dose":"300 micrograms","frequency":"Carry two at all times"}]',
   '{}', NULL, NULL, 'patel', 380),
  (14, 'Łukasz', NULL, 'Wiśniewski', '1984-09-09', 'Male', 'B-', 'married', 'Electrician', 'pl', '999 507 5296',
   'lukasz.wisniewski@example.com', '07700900247', NULL, '55 Coalecroft Road', NULL, 'London', 'SW15 6LP',
   'Marta Wiśniewska', '07700 900248', 'Wife',
   '[]',
   '[{"condition":"Lower back pain","since":"2022-01-10","notes":"Recurrent, mechanical"}]',
   '[{"name":"Naproxen","dose":"500 mg","frequency":"Twice daily with food when needed"}]',
   '{}', NULL, NULL, 'patel', 610),
  (15, 'Ananya', NULL, 'Sharma', '1993-02-11', 'Female', 'B+', 'single', 'Solicitor', 'en', '999 366 7129',
   'ananya.sharma@example.org', '+44 7700 900915', NULL, '19 Deodar Road', NULL, 'London', 'SW15 2NP',
   'Raj Sharma', '07700 900916', 'Father',
   '[]',
   '[{"condition":"Iron deficiency anaemia","since":"2023-06-01","notes":"Heavy periods; gynaecology review done"}]',
   '[{"name":"Ferrous fumarate","dose":"210 mg","frequency":"Twice daily"}]',
   '{"provider":"Meridian Private Health","policy_number":"MPH-5518820","group_number":"LAW-0077","valid_until":"2027-04-30"}',
   NULL, NULL, 'patel', 540),
  (16, 'David', NULL, 'Okonkwo', '1952-06-03', 'Male', 'O+', 'married', 'Retired postman', 'en', '999 768 4265',
   NULL, '(020) 7946 0233', '07700 900234', '3 Gwendolen Avenue', NULL, 'London', 'SW15 6ET',
   'Grace Okonkwo', '07700 900235', 'Wife',
   '[{"substance":"Erythromycin","reaction":"Diarrhoea and vomiting","severity":"mild"}]',
   '[{"condition":"COPD","since":"2016","notes":"Ex-smoker (40 pack-years), stopped 2015"}]',
   '[{"name":"Tiotropium inhaler","dose":"2 puffs","frequency":"Once daily"},{"name":"Salbutamol 100 micrograms inhaler","dose":"2 puffs","frequency":"As needed"}]',
   '{}', NULL, NULL, 'patel', 2650),
  (17, 'Fatima', NULL, 'Begum', '1966-12-25', 'Female', 'A+', 'married', 'Shop owner', 'bn', '999 212 2331',
   'fatima.begum@example.com', '07700 900362', NULL, '101 Putney Bridge Road', NULL, 'London', 'SW15 2PA',
   'Abdul Karim', '07700 900363', 'Husband',
   '[{"substance":"Codeine","reaction":"Severe nausea and vomiting","severity":"moderate"}]',
   '[{"condition":"Hypertension","since":"2020","notes":null}]',
   '[{"name":"Lisinopril","dose":"10 mg","frequency":"Once daily"}]',
   '{}', NULL, 'Prefers a female clinician.', 'patel', 1420),
  (18, 'Thomas', 'Edward', 'Wright', '1947-03-08', 'Male', 'AB-', 'married', 'Retired accountant', 'en', '999 079 2445',
   'tom.wright47@example.net', '020 7946 0890', NULL, '12 Genoa Avenue', NULL, 'London', 'SW15 6DY',
   'Jean Wright', '020 7946 0890', 'Wife',
   '[]',
   '[{"condition":"Type 2 diabetes","since":"2010","notes":null},{"condition":"Benign prostatic hyperplasia","since":"2018","notes":null}]',
   '[{"name":"Metformin","dose":"500 mg","frequency":"Twice daily"},{"name":"Tamsulosin","dose":"400 micrograms","frequency":"Once daily"}]',
   '{}', 'Mild memory impairment: attends with his wife, confirm plans with her', NULL, 'patel', 3100),
  (19, 'Emily', NULL, 'Clarke', '2001-08-30', 'Female', 'O-', 'single', 'Retail assistant', 'en', '999 026 8592',
   'emily.clarke01@example.com', '07700 900771', NULL, '40 Keswick Road', NULL, 'London', 'SW15 2HL',
   'Joanne Clarke', '07700 900772', 'Mother',
   '[]',
   '[{"condition":"Generalised anxiety disorder","since":"2021","notes":"CBT completed 2022"}]',
   '[{"name":"Sertraline","dose":"50 mg","frequency":"Once daily"}]',
   '{}', NULL, NULL, 'patel', 300),
  (20, 'Rajesh', NULL, 'Iyer', '1977-04-15', 'Male', 'B+', 'married', 'IT consultant', 'en', '999 952 8902',
   'rajesh.iyer@example.com', '+44 7700 900418', NULL, '6 Holroyd Road', NULL, 'London', 'SW15 6LN',
   'Lakshmi Iyer', '07700 900419', 'Wife',
   '[{"substance":"Shellfish","reaction":"Hives","severity":"mild"}]',
   '[{"condition":"Hyperlipidaemia","since":"2022","notes":"Family history of early heart disease"}]',
   '[{"name":"Atorvastatin","dose":"10 mg","frequency":"At night"}]',
   '{"provider":"Albion Medical Cover","policy_number":"AMC-3318764","group_number":"TEC-1208","valid_until":"2028-03-31"}',
   NULL, NULL, 'patel', 880),
  (21, 'Grace', NULL, 'Mensah', '1990-10-10', 'Female', 'O+', 'married', 'Midwife', 'en', '999 786 6665',
   'grace.mensah@example.org', '07700 900553', NULL, '27 Erpingham Road', NULL, 'London', 'SW15 1BE',
   'Kwesi Mensah', '07700 900554', 'Husband',
   '[]', '[]', '[]',
   '{}', NULL, NULL, 'patel', 1150),
  (22, 'Hannah', NULL, 'Goldberg', '1972-01-29', 'Female', 'A+', 'divorced', 'Journalist', 'en', '999 176 0318',
   'hannah.goldberg@example.com', '07700 900127', NULL, '9 St John''s Avenue', NULL, 'London', 'SW15 6AL',
   'Ruth Goldberg', '07700 900128', 'Sister',
   '[{"substance":"Iodinated contrast media","reaction":"Urticaria","severity":"moderate"}]',
   '[{"condition":"Breast cancer (left)","since":"2019-02-14","notes":"Lumpectomy and radiotherapy, in remission"}]',
   '[{"name":"Anastrozole","dose":"1 mg","frequency":"Once daily"}]',
   '{"provider":"Thameside Health Assurance","policy_number":"THA-3008715","group_number":null,"valid_until":"2025-12-31"}',
   NULL, 'Insurance lapsed: self-paying.', 'patel', 2230),
  (23, 'Patrick', NULL, 'Byrne', '1960-11-11', 'Male', 'O+', 'married', 'Publican', 'en', '999 010 9281',
   'pat.byrne@example.net', '0161 496 0735', '07700 900959', 'The Ship House', '41 Ship Lane', 'London', 'SW14 7QR',
   'Maureen Byrne', '07700 900736', 'Wife',
   '[]',
   '[{"condition":"Hypertension","since":"2013","notes":null},{"condition":"Non-alcoholic fatty liver disease","since":"2024-09-20","notes":"Raised ALT on routine bloods"}]',
   '[{"name":"Ramipril","dose":"10 mg","frequency":"Once daily"}]',
   '{}', NULL, NULL, 'patel', 1870),
  (24, 'Sofia', NULL, 'Rossi', '1985-03-03', 'Female', 'A-', 'married', 'Restaurant manager', 'it', '999 159 0137',
   'sofia.rossi@example.com', '07700 900846', NULL, '70 Werter Road', NULL, 'London', 'SW15 2LJ',
   'Marco Rossi', '07700 900847', 'Husband',
   '[]', '[]', '[]',
   '{"provider":"Meridian Private Health","policy_number":"MPH-7713409","group_number":"HOS-2215","valid_until":"2027-06-30"}',
   NULL, NULL, 'patel', 1500),
  (25, 'Kwame', NULL, 'Asante', '1998-07-21', 'Male', 'B+', 'single', 'Delivery rider', 'en', '999 962 4596',
   'kwame.asante@example.com', '07700 900094', NULL, 'Flat 6, Roehampton Court', '15 Danebury Avenue', 'London', 'SW15 4DQ',
   'Ama Asante', '07700 900095', 'Mother',
   '[{"substance":"Aspirin","reaction":"Wheeze","severity":"moderate"}]',
   '[{"condition":"Asthma","since":"2005","notes":"One hospital admission in 2019"}]',
   '[{"name":"Beclometasone 100 micrograms inhaler","dose":"2 puffs","frequency":"Twice daily"},{"name":"Salbutamol 100 micrograms inhaler","dose":"2 puffs","frequency":"As needed"}]',
   '{}', NULL, NULL, 'patel', 450),
  (26, 'Isabella', 'Lúcia', 'Costa', '1994-12-02', 'Female', 'O+', 'partnered', 'Graphic designer', 'pt', '999 774 1218',
   'isabella.costa@example.org', '+44 7700 900676', NULL, '33 Hazlewell Road', NULL, 'London', 'SW15 6LS',
   'Tiago Alves', '07700 900677', 'Partner',
   '[]', '[]',
   '[{"name":"Combined oral contraceptive","dose":"1 tablet","frequency":"Once daily, 21 days in 28"}]',
   '{}', NULL, NULL, 'patel', 260),
  (27, 'George', NULL, 'Papadopoulos', '1956-05-19', 'Male', 'A+', 'married', 'Taxi firm owner', 'el', '999 547 2805',
   'george.papadopoulos@example.com', '020 7946 0364', '07700 900365', '84 Dryburgh Road', NULL, 'London', 'SW15 1BL',
   'Eleni Papadopoulou', '07700 900366', 'Wife',
   '[]',
   '[{"condition":"Type 2 diabetes","since":"2008","notes":null},{"condition":"Chronic kidney disease stage 3a","since":"2022-11-02","notes":"eGFR 50-59"}]',
   '[{"name":"Gliclazide","dose":"80 mg","frequency":"Twice daily"},{"name":"Atorvastatin","dose":"40 mg","frequency":"At night"}]',
   '{}', NULL, NULL, 'patel', 2750),
  (28, 'Mei', NULL, 'Wong', '1969-09-27', 'Female', 'B+', 'married', 'Accountant', 'en', '999 385 2805',
   'mei.wong@example.net', '07700 900209', NULL, '2 Quill Lane', NULL, 'London', 'SW15 1PB',
   'Kevin Wong', '07700 900210', 'Husband',
   '[]',
   '[{"condition":"Osteoporosis","since":"2021","notes":"Wrist fracture after a fall on ice"}]',
   '[{"name":"Alendronic acid","dose":"70 mg","frequency":"Once weekly"},{"name":"Calcium and vitamin D","dose":"1 tablet","frequency":"Twice daily"}]',
   '{}', NULL, NULL, 'patel', 990),
  (29, 'Ahmed', NULL, 'Hassan', '1989-02-14', 'Male', 'O+', 'married', 'Car mechanic', 'ar', '999 841 4857',
   'ahmed.hassan89@example.com', '07700 900538', NULL, '18 Cardinal Place', NULL, 'London', 'SW15 1NX',
   'Mariam Hassan', '07700 900539', 'Wife',
   '[]', '[]', '[]',
   '{}', NULL, NULL, 'patel', 150),
  (30, 'Eleanor', 'May', 'Hughes', '1935-07-07', 'Female', 'A+', 'widowed', 'Retired librarian', 'en', '999 253 8880',
   NULL, '(020) 7946 0655', NULL, '4 Ashburton Close', NULL, 'London', 'SW15 3NS',
   'Laura Hughes', '07700 900478', 'Granddaughter',
   '[{"substance":"Morphine","reaction":"Confusion and hallucinations","severity":"moderate"}]',
   '[{"condition":"Hypertension","since":"1995","notes":null},{"condition":"Osteoarthritis of the hips","since":"2010","notes":"Walks with a stick"}]',
   '[{"name":"Indapamide","dose":"2.5 mg","frequency":"Once daily"},{"name":"Paracetamol","dose":"1 g","frequency":"Four times daily"}]',
   '{}', 'Lives alone: phone her granddaughter to confirm appointments', NULL, 'patel', 3400),
  (31, 'Daniel', NULL, 'Kim', '1996-10-31', 'Male', 'AB+', 'single', 'Data analyst', 'ko', '999 539 3360',
   'daniel.kim@example.com', '07700 900982', NULL, 'Flat 21, Wandle House', '3 Osiers Road', 'London', 'SW18 1NL',
   'Kim Soo-jin', '07700 900983', 'Sister',
   '[]', '[]', '[]',
   '{"provider":"Northgate Health","policy_number":"NGH-90017652","group_number":"FIN-3301","valid_until":"2027-09-30"}',
   NULL, NULL, 'patel', 200),
  (32, 'Nadia', NULL, 'Petrova', '1981-06-06', 'Female', 'B-', 'married', 'Translator', 'ru', '999 338 7509',
   'nadia.petrova@example.org', '07700 900441', NULL, '25 Landford Road', NULL, 'London', 'SW15 1AQ',
   'Ivan Petrov', '07700 900442', 'Husband',
   '[{"substance":"Penicillin","reaction":"Itchy rash","severity":"moderate"}]',
   '[]', '[]',
   '{}', NULL, NULL, 'patel', 670),
  (33, 'Mary-Jane', NULL, 'Thompson', '1979-04-12', 'Female', 'A+', 'divorced', 'Primary school teacher', 'en', '999 047 4397',
   'mj.thompson@example.com', '07700 900760', NULL, '58 Howards Lane', NULL, 'London', 'SW15 6QD',
   'Paul Thompson', '07700 900761', 'Brother',
   '[]',
   '[{"condition":"Hypothyroidism","since":"2016","notes":null}]',
   '[{"name":"Levothyroxine","dose":"75 micrograms","frequency":"Once daily before breakfast"}]',
   '{}', NULL, NULL, 'patel', 1280),
  -- children, registered with Dr Okafor
  (34, 'Leo', NULL, 'Rahman', '2019-03-11', 'Male', NULL, NULL, NULL, 'en', '999 575 5130',
   NULL, '07700 900614', NULL, '63 Disraeli Road', NULL, 'London', 'SW15 2DR',
   'Aisha Rahman', '07700 900614', 'Mother',
   '[]',
   '[{"condition":"Recurrent otitis media","since":"2021","notes":"Four episodes in 2021-2022"}]',
   '[]',
   '{}', NULL, NULL, 'okafor', 1300),
  (35, 'Amara', NULL, 'Adebayo', '2016-09-25', 'Female', 'O+', NULL, NULL, 'en', '999 137 3535',
   NULL, '07700 900148', NULL, '29 Westleigh Avenue', NULL, 'London', 'SW15 6RF',
   'Funmi Adebayo', '07700 900149', 'Mother',
   '[{"substance":"Egg","reaction":"Hives around the mouth","severity":"mild"}]',
   '[{"condition":"Asthma","since":"2020","notes":"Triggered by colds and cold air"}]',
   '[{"name":"Clenil Modulite 50 micrograms inhaler with spacer","dose":"2 puffs","frequency":"Twice daily"},{"name":"Salbutamol 100 micrograms inhaler with spacer","dose":"2-4 puffs","frequency":"As needed"}]',
   '{"provider":"Albion Medical Cover","policy_number":"AMC-2290311","group_number":"ENG-4410","valid_until":"2027-12-31"}',
   NULL, NULL, 'okafor', 2600),
  (36, 'Finn', NULL, 'Müller', '2022-01-14', 'Male', NULL, NULL, NULL, 'de', '999 799 0757',
   NULL, '07700 900233', NULL, '22 Oxford Road', NULL, 'London', 'SW15 2LQ',
   'Zoë Müller', '07700 900233', 'Mother',
   '[]', '[]', '[]',
   '{"provider":"Northgate Health","policy_number":"NGH-88210457","group_number":null,"valid_until":"2027-01-31"}',
   NULL, NULL, 'okafor', 1000),
  (37, 'Ruby', NULL, 'Evans', '2014-06-02', 'Female', 'A+', NULL, NULL, 'en', '999 116 3727',
   NULL, '07700 900517', NULL, '11 Genoa Avenue', NULL, 'London', 'SW15 6DY',
   'Claire Evans', '07700 900517', 'Mother',
   '[]',
   '[{"condition":"Recurrent abdominal pain","since":"2025","notes":"With loose stools; coeliac screen requested"}]',
   '[]',
   '{}', NULL, NULL, 'okafor', 2900),
  (38, 'Oliver', NULL, 'Kowalczyk', '2017-11-19', 'Male', 'A+', NULL, NULL, 'pl', '999 651 6768',
   NULL, '07700 900529', NULL, '7 Felsham Road', NULL, 'London', 'SW15 1AZ',
   'Agnieszka Kowalczyk', '07700 900529', 'Mother',
   '[]', '[]', '[]',
   '{}', NULL, NULL, 'okafor', 2400),
  (39, 'Yusuf', NULL, 'Al-Farsi', '2012-02-08', 'Male', 'B+', NULL, NULL, 'ar', '999 122 2022',
   NULL, '+447700900372', NULL, '14 Burstock Road', NULL, 'London', 'SW15 2PW',
   'Layla Al-Farsi', '07700 900373', 'Mother',
   '[{"substance":"Peanuts","reaction":"Anaphylaxis (2016): lip swelling, wheeze, vomiting","severity":"severe"}]',
   '[]',
   '[{"name":"Adrenaline auto-injector","dose":"300 micrograms","frequency":"Carry two at all times"},{"name":"Cetirizine","dose":"10 mg","frequency":"When needed"}]',
   '{}', 'Carries two adrenaline auto-injectors (peanut anaphylaxis)', NULL, 'okafor', 3200),
  (40, 'Maya', NULL, 'Shah', '2020-08-17', 'Female', NULL, NULL, NULL, 'gu', '999 972 9975',
   'vikram.shah@example.com', '07700 900826', NULL, '38 Clarendon Drive', NULL, 'London', 'SW15 1AE',
   'Vikram Shah', '07700 900826', 'Father',
   '[]', '[]', '[]',
   '{}', NULL, NULL, 'okafor', 1900),
  (41, 'Ethan', NULL, 'O''Connor', '2015-04-04', 'Male', 'O+', NULL, NULL, 'en', '999 528 8206',
   NULL, '07700 900193', NULL, '16 Gay Street', NULL, 'London', 'SW15 1NQ',
   'Niamh O''Connor', '07700 900193', 'Mother',
   '[]',
   '[{"condition":"ADHD","since":"2022-05-30","notes":"Diagnosed by the community paediatric team"}]',
   '[{"name":"Methylphenidate modified-release","dose":"18 mg","frequency":"Once daily in the morning"}]',
   '{}', NULL, NULL, 'okafor', 2700),
  (42, 'Sophie', NULL, 'Williams', '2018-12-24', 'Female', NULL, NULL, NULL, 'en', '999 018 2639',
   NULL, '07700 900645', NULL, '21 Festing Road', NULL, 'London', 'SW15 1LW',
   'Rebecca Williams', '07700 900645', 'Mother',
   '[{"substance":"Cow''s milk protein","reaction":"Eczema flare and loose stools","severity":"mild"}]',
   '[{"condition":"Atopic eczema","since":"2019","notes":"Flexures"}]',
   '[{"name":"Emollient cream","dose":"Apply liberally","frequency":"At least twice daily"}]',
   '{}', NULL, NULL, 'okafor', 2100),
  (43, 'Jayden', NULL, 'Campbell', '2013-07-29', 'Male', 'O-', NULL, NULL, 'en', '999 304 3486',
   NULL, '07700 900702', NULL, '77 Lytton Grove', NULL, 'London', 'SW15 2HE',
   'Marcus Campbell', '07700 900702', 'Father',
   '[]',
   '[{"condition":"Type 1 diabetes","since":"2019-10-04","notes":"Insulin pump since 2023"}]',
   '[{"name":"Insulin aspart (pump)","dose":"As per pump settings","frequency":"Continuous"}]',
   '{}', 'Type 1 diabetes: check blood glucose if unwell or drowsy', NULL, 'okafor', 2500),
  (44, 'Ava', NULL, 'Hernández', '2021-05-05', 'Female', NULL, NULL, NULL, 'es', '999 395 4861',
   NULL, '+44 7700 900187', NULL, '8 Chelverton Mews', NULL, 'London', 'SW15 1RH',
   'José Hernández', '+44 7700 900187', 'Father',
   '[]', '[]', '[]',
   '{"provider":"Thameside Health Assurance","policy_number":"THA-4471902","group_number":"GRP-0193","valid_until":"2027-08-31"}',
   NULL, NULL, 'okafor', 1250),
  (45, 'Mateo', NULL, 'Rossi', '2010-10-10', 'Male', 'A+', NULL, NULL, 'it', '999 807 2905',
   'mateo.rossi10@example.com', '07700 900848', NULL, '70 Werter Road', NULL, 'London', 'SW15 2LJ',
   'Sofia Rossi', '07700 900846', 'Mother',
   '[]',
   '[{"condition":"Sprained right ankle","since":"2025-04-12","notes":"Football injury, fully recovered"}]',
   '[]',
   '{"provider":"Meridian Private Health","policy_number":"MPH-7713409","group_number":"HOS-2215","valid_until":"2027-06-30"}',
   NULL, NULL, 'okafor', 1500),
  (46, 'Isla', NULL, 'Byrne', '2023-02-20', 'Female', NULL, NULL, NULL, 'en', '999 222 7915',
   NULL, '07700 900959', NULL, 'Flat 2', '41 Ship Lane', 'London', 'SW14 7QR',
   'Aoife Byrne', '07700 900959', 'Mother',
   '[]', '[]', '[]',
   '{}', NULL, 'Fussy eater; mostly drinks cow''s milk.', 'okafor', 600),
  (47, 'Kofi', NULL, 'Mensah', '2020-01-09', 'Male', NULL, NULL, NULL, 'en', '999 805 8880',
   NULL, '07700 900553', NULL, '27 Erpingham Road', NULL, 'London', 'SW15 1BE',
   'Grace Mensah', '07700 900553', 'Mother',
   '[]', '[]', '[]',
   '{}', NULL, NULL, 'okafor', 1140),
  (48, 'Freya', NULL, 'Andersson', '2011-03-17', 'Female', 'A-', NULL, NULL, 'sv', '999 401 8787',
   NULL, '07700 900287', NULL, '9 Stratford Grove', NULL, 'London', 'SW15 1NU',
   'Karin Andersson', '07700 900287', 'Mother',
   '[]', '[]', '[]',
   '{}', NULL, NULL, 'okafor', 3000),
  (49, 'Zara', NULL, 'Begum', '2009-11-30', 'Female', 'A+', NULL, 'Sixth-form student', 'en', '999 017 5985',
   'zara.begum09@example.com', '07700 900934', '07700 900362', '101 Putney Bridge Road', NULL, 'London', 'SW15 2PA',
   'Fatima Begum', '07700 900362', 'Mother',
   '[]',
   '[{"condition":"Acne vulgaris","since":"2023","notes":"Moderate, face and back"}]',
   '[{"name":"Adapalene with benzoyl peroxide gel","dose":"Thin layer","frequency":"Once daily at night"}]',
   '{}', NULL, NULL, 'okafor', 2800),
  (50, 'Alfie', NULL, 'Hughes', '2016-06-16', 'Male', 'O+', NULL, NULL, 'en', '999 983 4787',
   NULL, '07700 900478', NULL, '30 Ashburton Road', NULL, 'London', 'SW15 3NR',
   'Laura Hughes', '07700 900478', 'Mother',
   '[]',
   '[{"condition":"Recurrent tonsillitis","since":"2024","notes":"Five episodes in the last year"}]',
   '[]',
   '{}', NULL, NULL, 'okafor', 2300)
) AS v (n, first_name, middle_name, last_name, date_of_birth, gender, blood_group, marital_status, occupation,
        preferred_language, national_id, email, phone, alternate_phone, address_line1, address_line2, city,
        postal_code, emergency_contact_name, emergency_contact_phone, emergency_contact_relationship,
        allergies, medical_history, current_medications, insurance_info, alerts, notes, pcp, registered_days_ago)
ORDER BY v.n;

-- ---------------------------------------------------------------------------
-- Appointments: this week and next (Monday to Saturday of the week containing today in
-- Europe/London) on each doctor's slot grid, plus 1-3 earlier visits per patient going back
-- about three months. Choices are made with md5 of fixed keys, so a given weekday always
-- produces the same calendar; only the statuses depend on the time of day.
-- ---------------------------------------------------------------------------
INSERT INTO appointments (
  tenant_id, clinic_id, patient_id, doctor_id, appointment_type, starts_at, ends_at, status, reason, notes,
  symptoms, diagnosis, treatment_plan, vital_signs, confirmed_at, checked_in_at, started_at, completed_at,
  cancelled_at, cancelled_by, cancellation_reason, no_show_at, follow_up_required, follow_up_date,
  follow_up_notes, created_by, created_at)
WITH
-- The diary's moment is now, unless the setting demo.now names another (its tests walk a day).
clock AS (
  SELECT t.now_ts, t.today, t.today - (extract(isodow FROM t.today)::integer - 1) AS monday
  FROM (SELECT n.now_ts, (n.now_ts AT TIME ZONE 'Europe/London')::date AS today
        FROM (SELECT coalesce(nullif(current_setting('demo.now', true), '')::timestamptz, now()) AS now_ts) n) t
),
doctors (doctor_id, doctor_key, slot_minutes, weekday_target, saturday_target, free_from, free_until) AS (
  VALUES ('00000000-0000-4000-8000-000000000102'::uuid, 'patel', 15, 11, 6, time '16:00', time '17:00'),
         ('00000000-0000-4000-8000-000000000103'::uuid, 'okafor', 20, 9, 5, time '14:00', time '15:00')
),
-- What a visit is about. A template with a condition is used only for patients who have it;
-- each doctor has templates without an upper age limit, so every patient always finds one.
templates (doctor_key, k, condition, min_age, max_age, appointment_type, reason, symptoms, diagnosis,
           treatment_plan, notes, follow_up_days) AS (
  VALUES
  ('patel', 1, NULL, 16, 120, 'consultation', 'Persistent cough',
   'Dry cough for three weeks, worse at night; no fever, no weight loss',
   'Post-viral cough', 'Honey and warm drinks; return if not settling in three weeks or if breathless',
   'Chest clear on auscultation, oxygen saturation normal.', NULL),
  ('patel', 2, NULL, 16, 120, 'consultation', 'Lower back pain',
   'Low back pain since lifting at the weekend; no leg weakness, no bladder symptoms',
   'Mechanical low back pain', 'Keep active, regular paracetamol, physiotherapy self-referral leaflet',
   'No red flags. Straight-leg raise negative.', NULL),
  ('patel', 3, 'Hypertension', 16, 120, 'check_up', 'Blood pressure review',
   'No symptoms; brought home readings', 'Essential hypertension, well controlled',
   'Continue current medication; annual bloods due', 'Home average 132/80.', 180),
  ('patel', 4, 'Type 2 diabetes', 16, 120, 'follow_up', 'Diabetes review',
   'Occasional tiredness; no hypos', 'Type 2 diabetes mellitus',
   'HbA1c and kidney function requested; diet and activity advice reinforced',
   'Foot check normal, monofilament sensation intact.', 90),
  ('patel', 5, NULL, 16, 120, 'consultation', 'Sore throat',
   'Sore throat for four days, mild fever, no cough', 'Viral pharyngitis',
   'Fluids, paracetamol, salt-water gargles; no antibiotics needed (FeverPAIN 1)', NULL, NULL),
  ('patel', 6, NULL, 16, 120, 'consultation', 'Headaches',
   'Frontal headaches most afternoons, long hours at a screen', 'Tension-type headache',
   'Regular screen breaks, sleep routine, simple painkillers no more than 10 days a month',
   'Neurological examination normal.', NULL),
  ('patel', 7, NULL, 16, 120, 'procedure', 'Ear wax removal',
   'Blocked left ear and muffled hearing for two weeks', 'Impacted ear wax (left)',
   'Microsuction performed; olive oil drops twice weekly to prevent recurrence',
   'Tympanic membrane intact after removal.', NULL),
  ('patel', 8, NULL, 16, 120, 'telemedicine', 'Medication review',
   'No new symptoms', 'Medication review, no changes needed',
   'Repeat prescriptions issued for three months', 'Video call.', NULL),
  ('patel', 9, NULL, 18, 120, 'consultation', 'Low mood and poor sleep',
   'Low mood and early waking for six weeks; no thoughts of self-harm', 'Mild depressive episode',
   'Self-referral to talking therapies; sleep hygiene advice', 'PHQ-9 score 9.', 14),
  ('patel', 10, NULL, 18, 120, 'vaccination', 'Seasonal flu vaccination',
   NULL, 'Influenza vaccine given', 'Advised about a sore arm and mild aches for a day or two',
   'Left deltoid. No immediate reaction.', NULL),
  ('patel', 11, NULL, 40, 74, 'check_up', 'Health check (40-74)',
   'No symptoms', 'Cardiovascular risk assessment: QRISK3 below 10%',
   'Lifestyle advice on activity and alcohol; repeat in five years', NULL, NULL),
  ('patel', 12, NULL, 16, 120, 'consultation', 'Itchy rash on forearm',
   'Red itchy rash on the forearm for a week after using a new soap', 'Contact dermatitis',
   'Stop the new soap; emollient and hydrocortisone 1% cream for seven days', NULL, NULL),
  ('patel', 13, NULL, 16, 120, 'consultation', 'Burning when passing urine',
   'Burning and frequency for two days; no fever, no loin pain', 'Lower urinary tract infection',
   'Urine sent for culture; nitrofurantoin for three days; more fluids', 'Urine dip positive for nitrites.', NULL),
  ('patel', 14, 'COPD', 16, 120, 'follow_up', 'COPD review',
   'More breathless on hills this winter, no change in sputum', 'COPD, stable',
   'Inhaler technique checked; rescue pack explained; pulmonary rehabilitation referral offered',
   'MRC dyspnoea grade 3.', 90),
  ('okafor', 1, NULL, 0, 12, 'consultation', 'Ear pain',
   'Right ear pain and fever since yesterday, pulling at the ear', 'Acute otitis media (right)',
   'Paracetamol or ibuprofen; back-up antibiotic prescription if not better in three days',
   'Bulging red right tympanic membrane.', NULL),
  ('okafor', 2, NULL, 0, 5, 'check_up', 'Developmental review',
   'No concerns from parents', 'Normal growth and development for age',
   'Growth plotted on the centile chart; routine follow-up with the health visitor',
   'Weight on the 50th centile.', NULL),
  ('okafor', 3, NULL, 0, 14, 'vaccination', 'Routine childhood immunisations',
   NULL, 'Immunisations given as scheduled', 'Observed for 15 minutes; after-care leaflet given to parent',
   'No immediate reaction.', NULL),
  ('okafor', 4, 'Asthma', 0, 17, 'follow_up', 'Asthma review',
   'Night-time cough about twice a week', 'Asthma, partially controlled',
   'Inhaler and spacer technique checked; personal asthma action plan updated', 'Peak flow 85% of predicted.', 28),
  ('okafor', 5, NULL, 0, 12, 'consultation', 'Fever and rash',
   'Fever for two days, blanching rash on the trunk, eating less but drinking', 'Viral exanthem',
   'Fluids and antipyretics; glass test explained; return at once if the rash stops blanching',
   'Well-looking child, no signs of dehydration.', NULL),
  ('okafor', 6, NULL, 0, 120, 'consultation', 'Eczema flare',
   'Itchy dry skin behind the knees and in the elbow creases', 'Atopic eczema flare',
   'Emollients liberally; hydrocortisone 1% for five days; avoid soap', NULL, NULL),
  ('okafor', 7, NULL, 4, 17, 'consultation', 'Tummy ache',
   'Intermittent central tummy pain for two weeks, eating and growing well', 'Functional abdominal pain',
   'Reassurance; symptom and stool diary; review if weight loss or night pain', 'Abdomen soft, non-tender.', 28),
  ('okafor', 8, NULL, 3, 17, 'consultation', 'Sore throat',
   'Sore throat and swollen tonsils, temperature 38.2', 'Acute tonsillitis',
   'Throat swab taken; paracetamol and fluids while the result is awaited', NULL, NULL),
  ('okafor', 9, NULL, 0, 120, 'telemedicine', 'Follow-up after chest infection',
   'Cough improving, no fever for three days', 'Resolving lower respiratory tract infection',
   'No further treatment needed; return if breathing gets worse', 'Video call with parent.', NULL),
  ('okafor', 10, 'Asthma', 0, 17, 'emergency', 'Wheeze and shortness of breath',
   'Wheezy and breathless since last night after a cold', 'Acute asthma attack (moderate)',
   'Salbutamol via spacer with good response; three days of prednisolone; asthma review in two weeks',
   'Observed for one hour; oxygen saturation 96% on leaving.', 14),
  ('okafor', 11, NULL, 12, 17, 'consultation', 'Acne',
   'Spots on the face and back for a year, affecting confidence', 'Acne vulgaris (moderate)',
   'Topical treatment optimised; review in 12 weeks', NULL, 84),
  ('okafor', 12, NULL, 8, 17, 'consultation', 'Twisted ankle at football',
   'Twisted right ankle yesterday, able to walk four steps', 'Lateral ankle sprain',
   'Rest, ice, compression, elevation; gradual return to sport', 'Ottawa ankle rules negative.', NULL),
  ('okafor', 13, 'Type 1 diabetes', 0, 17, 'follow_up', 'Diabetes clinic review',
   'Some high readings after school', 'Type 1 diabetes mellitus',
   'Pump settings adjusted for after-school snacks; HbA1c next visit', 'Time in range 61%.', 90)
),
pool AS (
  SELECT d.doctor_id, d.doctor_key, d.slot_minutes, p.id AS patient_id, p.date_of_birth, p.medical_history,
         (row_number() OVER (PARTITION BY d.doctor_id ORDER BY p.id) - 1)::integer AS idx,
         (count(*) OVER (PARTITION BY d.doctor_id))::integer AS pool_size
  FROM doctors d
  JOIN patients p ON p.tenant_id = '00000000-0000-4000-8000-000000000001' AND p.primary_care_physician_id = d.doctor_id
),
-- Every bookable slot of this week (0) and next week (1): weekdays 08:00-18:00 without lunch
-- and without the doctor's free window, Saturday 09:00-13:00.
grid AS (
  SELECT d.doctor_id, d.doctor_key, d.slot_minutes, w.week, dd.day_index,
         c.monday + 7 * w.week + dd.day_index AS day, dd.opens + make_interval(mins => s.n * d.slot_minutes) AS start_time,
         CASE WHEN w.week = 1 THEN CASE WHEN dd.day_index = 5 THEN 3 ELSE d.weekday_target / 2 END
              WHEN dd.day_index = 5 THEN d.saturday_target
              ELSE d.weekday_target - 1
                   + ('x' || substr(md5(d.doctor_key || '/day/' || dd.day_index), 1, 7))::bit(28)::integer % 3
         END AS target,
         ('x' || substr(md5(concat_ws('/', d.doctor_key, w.week, dd.day_index, s.n)), 1, 7))::bit(28)::integer AS h,
         d.free_from, d.free_until
  FROM doctors d
  CROSS JOIN clock c
  CROSS JOIN (VALUES (0), (1)) AS w (week)
  CROSS JOIN LATERAL (
    SELECT i AS day_index,
           CASE WHEN i = 5 THEN time '09:00' ELSE time '08:00' END AS opens,
           CASE WHEN i = 5 THEN time '13:00' ELSE time '18:00' END AS closes
    FROM generate_series(0, 5) AS i
  ) dd
  CROSS JOIN LATERAL generate_series(0, (extract(epoch FROM dd.closes - dd.opens) / 60)::integer / d.slot_minutes - 1) AS s (n)
),
open_slots AS (
  SELECT g.*, rank() OVER (PARTITION BY g.doctor_id, g.week, g.day_index ORDER BY g.h, g.start_time) AS pick
  FROM grid g
  WHERE NOT (g.day_index < 5 AND g.start_time < time '13:30'
             AND g.start_time + make_interval(mins => g.slot_minutes) > time '12:30')
    AND NOT (g.day_index < 5 AND g.start_time < g.free_until
             AND g.start_time + make_interval(mins => g.slot_minutes) > g.free_from)
),
booked AS (
  SELECT o.*,
         (o.day + o.start_time) AT TIME ZONE 'Europe/London' AS starts_at,
         (o.day + o.start_time) AT TIME ZONE 'Europe/London' + make_interval(mins => o.slot_minutes) AS ends_at,
         (row_number() OVER (PARTITION BY o.doctor_id ORDER BY o.day, o.start_time) - 1)::integer AS seq,
         row_number() OVER (PARTITION BY o.doctor_id, o.day ORDER BY o.start_time) AS r
  FROM open_slots o
  WHERE o.pick <= o.target
),
-- Today: the doctor's first slot that has not ended yet (or the day's last slot after
-- closing) is the one being seen now; earlier slots are over, later ones are to come.
week_visits AS (
  SELECT b.*, c.now_ts, c.today,
         coalesce(min(b.r) FILTER (WHERE b.ends_at > c.now_ts) OVER (PARTITION BY b.doctor_id, b.day),
                  max(b.r) OVER (PARTITION BY b.doctor_id, b.day)) AS pivot
  FROM booked b CROSS JOIN clock c
),
-- Each slot's patient: the doctor's own patients in turn.
picked AS (
  SELECT w.*, p.patient_id AS picked_patient_id
  FROM week_visits w
  JOIN pool p ON p.doctor_id = w.doctor_id AND p.idx = (w.seq + 5) % p.pool_size
),
-- The guided tour (and its e2e) queues these patients to Dr Patel as walk-ins and starts their
-- visit. So that it works at any hour, today's 'now' and 'next' slots go instead to patients of
-- the same doctor not booked today: John Smith (reception's walk-in when nobody is still to
-- arrive), José Hernández, Siobhán O'Brien, Olumide Adebayo, Ananya Sharma and Grace Mensah.
tour_walk_ins (patient_id) AS (
  VALUES ('00000000-0000-4000-8000-000000000201'::uuid),
         ('00000000-0000-4000-8000-000000000203'::uuid), ('00000000-0000-4000-8000-000000000205'::uuid),
         ('00000000-0000-4000-8000-000000000210'::uuid), ('00000000-0000-4000-8000-000000000215'::uuid),
         ('00000000-0000-4000-8000-000000000221'::uuid)
),
stand_ins AS (
  SELECT k.doctor_id, k.day, k.r, c.patient_id
  FROM (SELECT k.*, row_number() OVER (PARTITION BY k.doctor_id ORDER BY k.r) AS n
        FROM picked k
        WHERE k.day = k.today AND k.r IN (k.pivot, k.pivot + 1)
          AND k.picked_patient_id IN (SELECT patient_id FROM tour_walk_ins)) k
  JOIN (SELECT p.doctor_id, p.patient_id, row_number() OVER (PARTITION BY p.doctor_id ORDER BY p.idx) AS n
        FROM pool p
        WHERE p.patient_id NOT IN (SELECT patient_id FROM tour_walk_ins)
          AND NOT EXISTS (SELECT 1 FROM picked t
                          WHERE t.doctor_id = p.doctor_id AND t.day = t.today AND t.picked_patient_id = p.patient_id)) c
    ON c.doctor_id = k.doctor_id AND c.n = k.n
),
visits AS (
  SELECT w.doctor_id, w.doctor_key, w.slot_minutes, p.patient_id, p.date_of_birth, p.medical_history,
         w.day, w.starts_at, w.ends_at, w.h, w.doctor_key || '/' || w.week || '/' || w.day_index || '/' || w.seq AS template_seed,
         CASE WHEN w.day < w.today THEN 'past'
              WHEN w.day > w.today THEN 'future'
              WHEN w.r < w.pivot THEN 'past'
              WHEN w.r = w.pivot THEN 'now'
              WHEN w.r = w.pivot + 1 THEN 'next'
              ELSE 'future' END AS phase,
         false AS is_follow_up, NULL::date AS next_visit_day, NULL::text AS forced_status,
         (w.h / 7) % 5 < 2 AS prefer_condition -- chronic patients: often a review of their condition
  FROM picked w
  LEFT JOIN stand_ins s ON s.doctor_id = w.doctor_id AND s.day = w.day AND s.r = w.r
  JOIN pool p ON p.doctor_id = w.doctor_id AND p.patient_id = coalesce(s.patient_id, w.picked_patient_id)
  UNION ALL
  -- Earlier visits: patient idx has 1 + idx % 3 visits four weeks apart, the latest 1-4 weeks
  -- ago, on a weekday and a slot that no other patient of the same doctor can share. They are
  -- about the patient's long-term condition when a template covers it.
  SELECT p.doctor_id, p.doctor_key, p.slot_minutes, p.patient_id, p.date_of_birth, p.medical_history,
         x.day, x.starts_at, x.starts_at + make_interval(mins => p.slot_minutes),
         ('x' || substr(md5(p.patient_id::text || '/' || k.k), 1, 7))::bit(28)::integer,
         p.patient_id::text,
         'past', k.k > 0,
         CASE WHEN k.k < p.idx % 3 THEN x.day + 28 END,
         CASE WHEN k.k = 0 AND p.idx % 3 = 2 AND p.idx % 5 = 0 THEN 'no_show'
              WHEN k.k = 0 AND p.idx % 3 = 1 AND p.idx % 7 = 3 THEN 'cancelled'
              ELSE 'completed' END,
         true
  FROM pool p
  CROSS JOIN clock c
  CROSS JOIN LATERAL generate_series(0, p.idx % 3) AS k (k)
  CROSS JOIN LATERAL (
    SELECT v.day,
           (v.day + CASE WHEN v.n < 240 / p.slot_minutes
                         THEN time '08:30' + make_interval(mins => v.n * p.slot_minutes)
                         ELSE time '13:30' + make_interval(mins => (v.n - 240 / p.slot_minutes) * p.slot_minutes) END)
             AT TIME ZONE 'Europe/London' AS starts_at
    FROM (SELECT c.monday - 7 * (1 + 4 * (p.idx % 3 - k.k) + p.idx % 4) + p.idx % 5 AS day,
                 (p.idx * 7) % 24 AS n) v
  ) x
),
shaped AS (
  SELECT v.*, c.now_ts, t.appointment_type AS template_type, t.reason AS template_reason, t.symptoms, t.diagnosis,
         t.treatment_plan, t.notes AS template_notes, t.follow_up_days,
         extract(year FROM age(v.day, v.date_of_birth))::integer AS age_years,
         coalesce(v.forced_status, CASE v.phase
           WHEN 'past' THEN CASE WHEN v.h % 100 < 7 THEN 'no_show' WHEN v.h % 100 < 14 THEN 'cancelled' ELSE 'completed' END
           WHEN 'now' THEN CASE v.doctor_key WHEN 'patel' THEN 'in_progress' ELSE 'checked_in' END
           WHEN 'next' THEN CASE v.doctor_key WHEN 'patel' THEN 'checked_in' ELSE 'confirmed' END
           ELSE CASE WHEN v.h % 100 < 4 THEN 'cancelled' WHEN v.h % 100 < 55 THEN 'confirmed' ELSE 'scheduled' END
         END) AS status,
         least(v.starts_at, c.now_ts) - make_interval(days => 2 + v.h % 12, hours => v.h % 7) AS created_at,
         ('x' || substr(md5(v.patient_id::text), 1, 7))::bit(28)::integer AS ph
  FROM visits v
  CROSS JOIN clock c
  CROSS JOIN LATERAL (
    SELECT t.* FROM templates t
    WHERE t.doctor_key = v.doctor_key
      AND extract(year FROM age(v.day, v.date_of_birth)) BETWEEN t.min_age AND t.max_age
      AND (t.appointment_type <> 'emergency' OR v.phase = 'past') -- emergencies are not booked ahead
      AND (t.condition IS NULL OR EXISTS (
            SELECT 1 FROM jsonb_array_elements(v.medical_history) e WHERE e ->> 'condition' LIKE t.condition || '%'))
    ORDER BY v.prefer_condition AND t.condition IS NOT NULL DESC, md5(v.template_seed || '/' || t.k)
    LIMIT 1
  ) t
)
SELECT
  '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', s.patient_id, s.doctor_id,
  CASE WHEN s.is_follow_up THEN 'follow_up' ELSE s.template_type END,
  s.starts_at, s.ends_at, s.status,
  CASE WHEN s.is_follow_up THEN 'Follow-up: ' || lower(s.template_reason) ELSE s.template_reason END,
  CASE WHEN s.status = 'completed' THEN s.template_notes
       WHEN s.status IN ('scheduled', 'confirmed') THEN
         (ARRAY['Booked by phone', 'Booked online', 'Booked at the front desk', NULL])[1 + s.h % 4]
       WHEN s.status = 'checked_in' THEN 'Waiting in the main waiting room'
  END,
  CASE WHEN s.status IN ('completed', 'in_progress', 'checked_in') THEN s.symptoms END,
  CASE WHEN s.status = 'completed' THEN s.diagnosis END,
  CASE WHEN s.status = 'completed' THEN s.treatment_plan END,
  CASE WHEN s.status IN ('completed', 'in_progress') THEN
    CASE WHEN s.age_years >= 16 THEN jsonb_build_object(
           'bp_systolic', 112 + s.h % 34, 'bp_diastolic', 68 + s.h % 20, 'pulse', 58 + s.h % 32,
           'temperature_c', round(36.3 + (s.h % 9) / 10.0, 1), 'respiratory_rate', 12 + s.h % 6,
           'spo2', 95 + s.h % 5, 'weight_kg', round(52 + (s.ph % 450) / 10.0 + (s.h % 10) / 10.0, 1))
         ELSE jsonb_build_object(
           'pulse', 80 + s.h % 40, 'temperature_c', round(36.4 + (s.h % 16) / 10.0, 1),
           'respiratory_rate', 18 + s.h % 10, 'spo2', 96 + s.h % 4,
           'weight_kg', round(3.5 + 2.6 * s.age_years + (s.ph % 30) / 10.0, 1)) END
  END,
  -- confirmed_at
  CASE WHEN s.status = 'confirmed' OR (s.status IN ('checked_in', 'in_progress', 'completed', 'no_show') AND s.h % 3 <> 0)
       THEN s.created_at + interval '1 day' END,
  -- checked_in_at, started_at, completed_at
  CASE s.status WHEN 'completed' THEN s.starts_at - make_interval(mins => 2 + s.h % 9)
                WHEN 'in_progress' THEN s.now_ts - interval '17 minutes'
                WHEN 'checked_in' THEN s.now_ts - CASE s.doctor_key WHEN 'patel' THEN interval '6 minutes' ELSE interval '11 minutes' END
  END,
  CASE s.status WHEN 'completed' THEN s.starts_at + make_interval(mins => s.h % 4)
                WHEN 'in_progress' THEN s.now_ts - interval '4 minutes' END,
  CASE WHEN s.status = 'completed' THEN s.ends_at - make_interval(mins => s.h % 3) END,
  -- cancellation
  CASE WHEN s.status = 'cancelled' THEN
    CASE WHEN s.phase = 'future' THEN s.now_ts - make_interval(hours => 1 + s.h % 20)
         ELSE s.starts_at - make_interval(hours => 2 + s.h % 40) END END,
  CASE WHEN s.status = 'cancelled' THEN '00000000-0000-4000-8000-000000000105'::uuid END,
  CASE WHEN s.status = 'cancelled' THEN
    (ARRAY['Patient unwell, will rebook', 'Work commitment', 'Clashes with a hospital appointment',
           'Symptoms resolved', 'Childcare problem', 'Travelling'])[1 + s.h % 6] END,
  CASE WHEN s.status = 'no_show' THEN s.starts_at + interval '15 minutes' END,
  -- follow-up
  s.status = 'completed' AND (s.next_visit_day IS NOT NULL OR s.follow_up_days IS NOT NULL),
  CASE WHEN s.status = 'completed' THEN coalesce(s.next_visit_day, s.day + s.follow_up_days) END,
  CASE WHEN s.status = 'completed' AND s.next_visit_day IS NOT NULL THEN 'Review in four weeks'
       WHEN s.status = 'completed' AND s.follow_up_days IS NOT NULL THEN 'Review in ' || s.follow_up_days || ' days' END,
  '00000000-0000-4000-8000-000000000105', s.created_at
FROM shaped s
ORDER BY s.starts_at, s.doctor_id;

-- ---------------------------------------------------------------------------
-- Diagnostic tests and their reports. Completed tests were ordered at the patient's last
-- visit before this week (at least two days ago, so every timestamp is in the past; the
-- repeat potassium a few hours later); pending ones at a visit in the last ten days when
-- there is one, otherwise a few hours or days ago.
-- ---------------------------------------------------------------------------
INSERT INTO diagnostic_tests (
  tenant_id, clinic_id, patient_id, doctor_id, appointment_id, test_name, test_code, test_category,
  specimen_type, priority, status, ordered_at, scheduled_at, sample_collected_at, completed_at,
  instructions, clinical_notes, performing_lab, cost, insurance_covered, insurance_claim_number,
  created_by, created_at)
WITH clock AS (
  SELECT now() AS now_ts, t.today,
         (t.today - (extract(isodow FROM t.today)::integer - 1) + time '00:00') AT TIME ZONE 'Europe/London' AS week_start
  FROM (SELECT (now() AT TIME ZONE 'Europe/London')::date AS today) t
),
wanted (n, test_name, test_code, test_category, specimen_type, priority, status, link, hours_ago,
        turnaround_hours, cost, insurance_covered, performing_lab, instructions, clinical_notes,
        delay_hours) AS (
  VALUES
  (5, 'HbA1c', 'HBA1C', 'laboratory', 'Blood (EDTA)', 'routine', 'completed', 'visit', NULL, 20, 18.00, false,
   'Riverside Pathology', NULL, 'Annual diabetes review', NULL),
  (6, 'Urea and electrolytes', 'UE', 'laboratory', 'Blood (serum)', 'urgent', 'completed', 'visit', NULL, 5, 22.00, false,
   'Riverside Pathology', NULL, 'On ramipril and spironolactone; ankle swelling', NULL),
  (6, 'ECG (12-lead)', 'ECG12', 'cardiology', NULL, 'routine', 'completed', 'visit', NULL, 1, 45.00, false,
   'In clinic', NULL, 'Known AF, check rate control', NULL),
  (8, 'Lipid profile', 'LIPID', 'laboratory', 'Blood (serum)', 'routine', 'completed', 'visit', NULL, 22, 24.00, false,
   'Riverside Pathology', 'Fast for 10 hours before the blood test (water is fine)', 'On atorvastatin 20 mg', NULL),
  (11, 'Thyroid function tests', 'TFT', 'laboratory', 'Blood (serum)', 'routine', 'completed', 'visit', NULL, 18, 26.00, false,
   'Riverside Pathology', NULL, 'Palpitations; levothyroxine dose increased in spring', NULL),
  (15, 'Full blood count', 'FBC', 'laboratory', 'Blood (EDTA)', 'routine', 'completed', 'visit', NULL, 6, 15.00, true,
   'Riverside Pathology', NULL, 'Iron deficiency on treatment, recheck haemoglobin', NULL),
  (16, 'Chest X-ray (PA)', 'CXR', 'imaging', NULL, 'routine', 'completed', 'visit', NULL, 26, 65.00, false,
   'Riverside Imaging Centre', 'Remove jewellery from the neck and chest', 'COPD, new cough for six weeks', NULL),
  (21, 'Urine culture (MSU)', 'MSU', 'microbiology', 'Mid-stream urine', 'routine', 'completed', 'visit', NULL, 24, 20.00, false,
   'Riverside Pathology', 'First-morning mid-stream sample in the sterile pot', 'Dysuria and frequency', NULL),
  (17, 'Vitamin D (25-OH)', 'VITD', 'laboratory', 'Blood (serum)', 'routine', 'completed', 'visit', NULL, 24, 28.00, false,
   'Riverside Pathology', NULL, 'Tiredness and aching muscles', NULL),
  (27, 'Kidney function (U&E, eGFR)', 'UE', 'laboratory', 'Blood (serum)', 'routine', 'completed', 'visit', NULL, 8, 22.00, false,
   'Riverside Pathology', NULL, 'CKD 3a monitoring', NULL),
  (44, 'Throat swab culture', 'THRSW', 'microbiology', 'Throat swab', 'routine', 'completed', 'visit', NULL, 24, 20.00, true,
   'Riverside Pathology', NULL, 'Tonsillitis, exclude group A streptococcus', NULL),
  (46, 'Ferritin and full blood count', 'FERR', 'laboratory', 'Blood (EDTA and serum)', 'routine', 'completed', 'visit', NULL, 10, 20.00, false,
   'Riverside Pathology', 'Numbing cream 45 minutes before the blood test', 'Pale and tired; high milk intake', NULL),
  (48, 'C-reactive protein', 'CRP', 'laboratory', 'Blood (serum)', 'urgent', 'completed', 'visit', NULL, 3, 14.00, false,
   'Riverside Pathology', NULL, 'Fever for four days', NULL),
  (1, 'Lipid profile', 'LIPID', 'laboratory', 'Blood (serum)', 'routine', 'completed', 'visit', NULL, 22, 24.00, false,
   'Riverside Pathology', 'Fast for 10 hours before the blood test (water is fine)', 'Cardiovascular risk assessment', NULL),
  (22, 'Liver function tests', 'LFT', 'laboratory', 'Blood (serum)', 'routine', 'sample_collected', 'recent', 26, NULL, 20.00, false,
   'Riverside Pathology', NULL, 'Annual check on anastrozole', NULL),
  (23, 'Ultrasound abdomen', 'USABD', 'imaging', NULL, 'routine', 'ordered', 'recent', 30, NULL, 120.00, false,
   'Riverside Imaging Centre', 'Nothing to eat for six hours before the scan; drink water as usual', 'Fatty liver, raised ALT', NULL),
  (8, 'HbA1c', 'HBA1C', 'laboratory', 'Blood (EDTA)', 'routine', 'ordered', 'recent', 20, NULL, 18.00, false,
   'Riverside Pathology', NULL, 'Three-monthly diabetes monitoring', NULL),
  (24, 'Skin biopsy (punch)', 'SKBX', 'pathology', 'Skin tissue in formalin', 'urgent', 'in_progress', 'recent', 50, NULL, 95.00, true,
   'Riverside Pathology', NULL, 'Changing pigmented lesion, left calf', NULL),
  (47, 'Stool culture', 'STOOL', 'microbiology', 'Stool', 'routine', 'ordered', 'recent', 8, NULL, 25.00, false,
   'Riverside Pathology', 'Sample pot given to parent; return within 24 hours', 'Diarrhoea for ten days after a holiday', NULL),
  (37, 'Coeliac serology (tTG IgA)', 'TTG', 'laboratory', 'Blood (serum)', 'routine', 'sample_collected', 'recent', 28, NULL, 32.00, false,
   'Riverside Pathology', 'Keep eating gluten until the test', 'Recurrent abdominal pain and loose stools', NULL),
  (13, 'Allergy IgE panel', 'IGEPAN', 'laboratory', 'Blood (serum)', 'routine', 'cancelled', 'visit', NULL, NULL, 85.00, false,
   'Riverside Pathology', NULL, 'Cancelled: referred to the hospital allergy clinic instead', NULL),
  -- ordered when the critical potassium above was phoned through
  (6, 'Potassium and creatinine (repeat)', 'K', 'laboratory', 'Blood (serum)', 'stat', 'completed', 'visit', NULL, 2, 12.00, false,
   'Riverside Pathology', NULL, 'Repeat after critical potassium; spironolactone stopped', 6)
)
SELECT '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', p.id,
       coalesce(a.doctor_id, p.primary_care_physician_id), a.id,
       w.test_name, w.test_code, w.test_category, w.specimen_type, w.priority, w.status,
       o.ordered_at,
       CASE WHEN w.test_category = 'imaging' AND w.status = 'completed' THEN o.ordered_at + interval '1 day'
            WHEN w.test_category = 'imaging' THEN (c.today + 3 + time '10:30') AT TIME ZONE 'Europe/London' END,
       CASE WHEN w.specimen_type IS NOT NULL AND w.status IN ('sample_collected', 'in_progress', 'completed')
            THEN least(o.ordered_at + interval '15 minutes', c.now_ts) END,
       CASE WHEN w.status = 'completed' THEN o.ordered_at + make_interval(hours => w.turnaround_hours) END,
       w.instructions, w.clinical_notes, w.performing_lab, w.cost, w.insurance_covered,
       CASE WHEN w.insurance_covered THEN 'CLM-' || upper(substr(md5(p.id::text || w.test_code), 1, 8)) END,
       coalesce(a.doctor_id, p.primary_care_physician_id), o.ordered_at
FROM wanted w
CROSS JOIN clock c
JOIN patients p ON p.tenant_id = '00000000-0000-4000-8000-000000000001'
               AND p.id = ('00000000-0000-4000-8000-' || lpad((200 + w.n)::text, 12, '0'))::uuid
LEFT JOIN LATERAL (
  SELECT ap.id, ap.doctor_id, ap.completed_at
  FROM appointments ap
  WHERE ap.tenant_id = p.tenant_id AND ap.patient_id = p.id AND ap.status = 'completed'
    AND CASE w.link WHEN 'visit' THEN ap.starts_at < c.week_start
                    ELSE ap.starts_at >= c.now_ts - interval '10 days' END
  ORDER BY ap.starts_at DESC
  LIMIT 1
) a ON true
CROSS JOIN LATERAL (
  SELECT coalesce(a.completed_at - interval '4 minutes', c.now_ts - make_interval(hours => coalesce(w.hours_ago, 72)))
         + make_interval(hours => coalesce(w.delay_hours, 0)) AS ordered_at
) o
ORDER BY o.ordered_at, w.test_code;

INSERT INTO test_reports (
  tenant_id, diagnostic_test_id, patient_id, findings, interpretation, recommendations, result_values,
  normal_ranges, abnormal_findings, is_abnormal, is_critical, report_status, reported_by, reported_at,
  verified_by, verified_at, quality_check_passed, quality_notes, created_at)
SELECT '00000000-0000-4000-8000-000000000001', t.id, t.patient_id, r.findings, r.interpretation, r.recommendations,
       r.result_values::jsonb, r.normal_ranges::jsonb, r.abnormal_findings::jsonb, r.is_abnormal, r.is_critical,
       'final',
       CASE r.reporter WHEN 'nurse' THEN '00000000-0000-4000-8000-000000000104'::uuid ELSE t.doctor_id END,
       t.completed_at,
       t.doctor_id, least(t.completed_at + interval '2 hours', now()),
       true, r.quality_notes, t.completed_at
FROM (VALUES
  (5, 'HBA1C', 'nurse', 'HbA1c 64 mmol/mol (was 58 six months ago).',
   'Diabetes control has worsened and is above the individual target of 53 mmol/mol.',
   'Review diet and adherence; consider adding a second agent at the next review.',
   '[{"parameter":"HbA1c","value":"64","unit":"mmol/mol","reference_range":"20-41","flag":"high"}]',
   '{"HbA1c":"20-41 mmol/mol"}', '["HbA1c above target"]', true, false, NULL),
  (6, 'UE', 'nurse', 'Potassium 6.8 mmol/L. Sample not haemolysed. Creatinine 142 umol/L, eGFR 31.',
   'Critical hyperkalaemia with worsening kidney function, probably due to ramipril and spironolactone.',
   'Phoned to Dr Patel on receipt. Stop spironolactone, repeat potassium today, ECG.',
   '[{"parameter":"Sodium","value":"136","unit":"mmol/L","reference_range":"133-146","flag":"normal"},{"parameter":"Potassium","value":"6.8","unit":"mmol/L","reference_range":"3.5-5.3","flag":"critical"},{"parameter":"Urea","value":"11.2","unit":"mmol/L","reference_range":"2.5-7.8","flag":"high"},{"parameter":"Creatinine","value":"142","unit":"umol/L","reference_range":"45-84","flag":"high"},{"parameter":"eGFR","value":"31","unit":"mL/min/1.73m2","reference_range":">60","flag":"low"}]',
   '{"Sodium":"133-146 mmol/L","Potassium":"3.5-5.3 mmol/L","Urea":"2.5-7.8 mmol/L","Creatinine":"45-84 umol/L"}',
   '["Potassium critically high","Urea and creatinine raised","eGFR reduced"]', true, true,
   'Sample checked for haemolysis before release'),
  (6, 'ECG12', 'doctor', 'Atrial fibrillation, ventricular rate 78/min. No peaked T waves. QRS 96 ms.',
   'Rate-controlled atrial fibrillation, unchanged from the previous tracing.',
   'Continue bisoprolol and apixaban.',
   '[{"parameter":"Rhythm","value":"Atrial fibrillation","unit":null,"reference_range":"Sinus rhythm","flag":"high"},{"parameter":"Ventricular rate","value":"78","unit":"bpm","reference_range":"60-100","flag":"normal"},{"parameter":"QRS duration","value":"96","unit":"ms","reference_range":"<120","flag":"normal"}]',
   '{"Ventricular rate":"60-100 bpm","QRS duration":"<120 ms"}', '["Atrial fibrillation"]', true, false, NULL),
  (8, 'LIPID', 'nurse', 'Total cholesterol 6.1, LDL 4.0, HDL 0.9, triglycerides 2.6 mmol/L.',
   'Lipids above target on atorvastatin 20 mg; non-HDL cholesterol not reduced by 40%.',
   'Increase atorvastatin to 40 mg; repeat lipids in three months.',
   '[{"parameter":"Total cholesterol","value":"6.1","unit":"mmol/L","reference_range":"<5.0","flag":"high"},{"parameter":"LDL cholesterol","value":"4.0","unit":"mmol/L","reference_range":"<3.0","flag":"high"},{"parameter":"HDL cholesterol","value":"0.9","unit":"mmol/L","reference_range":">1.0","flag":"low"},{"parameter":"Triglycerides","value":"2.6","unit":"mmol/L","reference_range":"<1.7","flag":"high"}]',
   '{"Total cholesterol":"<5.0 mmol/L","LDL cholesterol":"<3.0 mmol/L","HDL cholesterol":">1.0 mmol/L","Triglycerides":"<1.7 mmol/L"}',
   '["LDL above target","Low HDL","Raised triglycerides"]', true, false, NULL),
  (11, 'TFT', 'nurse', 'TSH 0.08 mU/L, free T4 24.1 pmol/L.',
   'Suppressed TSH with high-normal free T4: levothyroxine over-replacement.',
   'Reduce levothyroxine to 75 micrograms daily; repeat in eight weeks.',
   '[{"parameter":"TSH","value":"0.08","unit":"mU/L","reference_range":"0.27-4.20","flag":"low"},{"parameter":"Free T4","value":"24.1","unit":"pmol/L","reference_range":"12.0-22.0","flag":"high"}]',
   '{"TSH":"0.27-4.20 mU/L","Free T4":"12.0-22.0 pmol/L"}', '["TSH suppressed","Free T4 raised"]', true, false, NULL),
  (15, 'FBC', 'nurse', 'Haemoglobin 128 g/L (was 104), MCV 84 fL, platelets 265.',
   'Anaemia corrected on oral iron.', 'Continue iron for three more months to replenish stores, then stop.',
   '[{"parameter":"Haemoglobin","value":"128","unit":"g/L","reference_range":"115-165","flag":"normal"},{"parameter":"White cell count","value":"6.2","unit":"10^9/L","reference_range":"4.0-11.0","flag":"normal"},{"parameter":"Platelets","value":"265","unit":"10^9/L","reference_range":"150-400","flag":"normal"},{"parameter":"MCV","value":"84","unit":"fL","reference_range":"80-100","flag":"normal"}]',
   '{"Haemoglobin":"115-165 g/L","White cell count":"4.0-11.0 x10^9/L","Platelets":"150-400 x10^9/L","MCV":"80-100 fL"}',
   '[]', false, false, NULL),
  (16, 'CXR', 'doctor', 'Hyperinflated lungs with flattened diaphragms. No consolidation, mass or effusion. Heart size normal.',
   'Appearances in keeping with known COPD; no acute change and nothing suspicious.',
   'No further imaging needed. Review if the cough persists beyond three months.',
   '[{"parameter":"Lung fields","value":"Hyperinflated, no focal lesion","unit":null,"reference_range":"Clear","flag":"normal"},{"parameter":"Cardiothoracic ratio","value":"0.46","unit":null,"reference_range":"<0.50","flag":"normal"}]',
   '{"Cardiothoracic ratio":"<0.50"}', '[]', false, false, NULL),
  (21, 'MSU', 'nurse', 'Escherichia coli >10^5 CFU/mL. Sensitive to nitrofurantoin and fosfomycin; resistant to trimethoprim.',
   'Urinary tract infection with a nitrofurantoin-sensitive organism.',
   'Current nitrofurantoin is appropriate; no change needed.',
   '[{"parameter":"Culture","value":"Escherichia coli >10^5 CFU/mL","unit":null,"reference_range":"No significant growth","flag":"high"},{"parameter":"White cells","value":">100","unit":"/uL","reference_range":"<10","flag":"high"}]',
   '{"White cells":"<10 /uL"}', '["Significant growth of E. coli","Pyuria"]', true, false, NULL),
  (17, 'VITD', 'nurse', '25-hydroxy vitamin D 21 nmol/L.', 'Vitamin D deficiency.',
   'Loading dose of colecalciferol, then maintenance 800 units daily.',
   '[{"parameter":"25-OH vitamin D","value":"21","unit":"nmol/L","reference_range":"50-175","flag":"low"}]',
   '{"25-OH vitamin D":"50-175 nmol/L"}', '["Vitamin D deficient"]', true, false, NULL),
  (27, 'UE', 'nurse', 'Creatinine 118 umol/L, eGFR 52, potassium 4.9 mmol/L.',
   'Stable CKD stage 3a, unchanged from six months ago.', 'Continue annual monitoring; urine ACR at next review.',
   '[{"parameter":"Sodium","value":"139","unit":"mmol/L","reference_range":"133-146","flag":"normal"},{"parameter":"Potassium","value":"4.9","unit":"mmol/L","reference_range":"3.5-5.3","flag":"normal"},{"parameter":"Creatinine","value":"118","unit":"umol/L","reference_range":"59-104","flag":"high"},{"parameter":"eGFR","value":"52","unit":"mL/min/1.73m2","reference_range":">60","flag":"low"}]',
   '{"Sodium":"133-146 mmol/L","Potassium":"3.5-5.3 mmol/L","Creatinine":"59-104 umol/L"}',
   '["eGFR reduced (CKD 3a)"]', true, false, NULL),
  (44, 'THRSW', 'nurse', 'No beta-haemolytic streptococci isolated. Normal upper respiratory flora.',
   'No group A streptococcus: viral tonsillitis most likely.', 'No antibiotics needed.',
   '[{"parameter":"Culture","value":"Normal flora","unit":null,"reference_range":"Normal flora","flag":"normal"}]',
   '{}', '[]', false, false, NULL),
  (46, 'FERR', 'doctor', 'Ferritin 8 ug/L, haemoglobin 98 g/L, MCV 68 fL.',
   'Iron deficiency anaemia, most likely from a high cow''s milk intake.',
   'Limit milk to 400 mL a day; iron supplement for three months; recheck afterwards.',
   '[{"parameter":"Ferritin","value":"8","unit":"ug/L","reference_range":"12-60","flag":"low"},{"parameter":"Haemoglobin","value":"98","unit":"g/L","reference_range":"105-135","flag":"low"},{"parameter":"MCV","value":"68","unit":"fL","reference_range":"72-84","flag":"low"}]',
   '{"Ferritin":"12-60 ug/L","Haemoglobin":"105-135 g/L","MCV":"72-84 fL"}',
   '["Low ferritin","Microcytic anaemia"]', true, false, NULL),
  (48, 'CRP', 'doctor', 'CRP 6 mg/L.', 'No significant inflammation; consistent with a viral illness.',
   'Symptomatic care; safety-netting advice given to parent.',
   '[{"parameter":"CRP","value":"6","unit":"mg/L","reference_range":"<10","flag":"normal"}]',
   '{"CRP":"<10 mg/L"}', '[]', false, false, NULL),
  (6, 'K', 'nurse', 'Potassium 5.1 mmol/L, creatinine 131 umol/L, eGFR 34.',
   'Potassium back within range after stopping spironolactone; kidney function still reduced.',
   'Keep spironolactone stopped; recheck kidney function in one week.',
   '[{"parameter":"Potassium","value":"5.1","unit":"mmol/L","reference_range":"3.5-5.3","flag":"normal"},{"parameter":"Creatinine","value":"131","unit":"umol/L","reference_range":"45-84","flag":"high"},{"parameter":"eGFR","value":"34","unit":"mL/min/1.73m2","reference_range":">60","flag":"low"}]',
   '{"Potassium":"3.5-5.3 mmol/L","Creatinine":"45-84 umol/L"}', '["Creatinine raised","eGFR reduced"]', true, false, NULL),
  (1, 'LIPID', 'nurse', 'Total cholesterol 4.6, LDL 2.6, HDL 1.3, triglycerides 1.4 mmol/L.',
   'Lipids within target.', 'No treatment needed; repeat with the next health check.',
   '[{"parameter":"Total cholesterol","value":"4.6","unit":"mmol/L","reference_range":"<5.0","flag":"normal"},{"parameter":"LDL cholesterol","value":"2.6","unit":"mmol/L","reference_range":"<3.0","flag":"normal"},{"parameter":"HDL cholesterol","value":"1.3","unit":"mmol/L","reference_range":">1.0","flag":"normal"},{"parameter":"Triglycerides","value":"1.4","unit":"mmol/L","reference_range":"<1.7","flag":"normal"}]',
   '{"Total cholesterol":"<5.0 mmol/L","LDL cholesterol":"<3.0 mmol/L","HDL cholesterol":">1.0 mmol/L","Triglycerides":"<1.7 mmol/L"}',
   '[]', false, false, NULL)
) AS r (n, test_code, reporter, findings, interpretation, recommendations, result_values, normal_ranges,
        abnormal_findings, is_abnormal, is_critical, quality_notes)
JOIN diagnostic_tests t ON t.tenant_id = '00000000-0000-4000-8000-000000000001'
                       AND t.patient_id = ('00000000-0000-4000-8000-' || lpad((200 + r.n)::text, 12, '0'))::uuid
                       AND t.test_code = r.test_code AND t.status = 'completed'
ORDER BY t.completed_at, t.test_code;

-- ---------------------------------------------------------------------------
-- Invoices and payments, for 25 completed visits: the 12 latest of the last four weeks
-- (two still drafts; paid, part-paid and unpaid ones, all due in the future) and 13 from
-- five or more weeks ago (paid, except one left unpaid and overdue). The payment trigger
-- sets amount_paid and the paid / partially_paid status.
-- ---------------------------------------------------------------------------
WITH clock AS (
  SELECT now() AS now_ts, (now() AT TIME ZONE 'Europe/London')::date AS today
),
done AS (
  SELECT a.id AS appointment_id, a.patient_id, a.doctor_id, a.appointment_type, a.starts_at, a.completed_at,
         (a.starts_at AT TIME ZONE 'Europe/London')::date AS visit_day,
         u.consultation_fee, p.insurance_info, p.date_of_birth,
         -- insured on the day of the visit
         coalesce((p.insurance_info ->> 'valid_until')::date >= (a.starts_at AT TIME ZONE 'Europe/London')::date, false) AS insured
  FROM appointments a
  JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.doctor_id
  JOIN patients p ON p.tenant_id = a.tenant_id AND p.id = a.patient_id
  WHERE a.tenant_id = '00000000-0000-4000-8000-000000000001' AND a.status = 'completed'
),
picked AS (
  -- every third of the latest visits, so the recent invoices spread over several days
  (SELECT r.* FROM (
     SELECT d.*, 'recent' AS band, row_number() OVER (ORDER BY d.starts_at DESC, d.doctor_id) AS rn
     FROM done d CROSS JOIN clock c
     WHERE d.visit_day >= c.today - 27) r
   WHERE r.rn % 3 = 1
   ORDER BY r.rn
   LIMIT 12)
  UNION ALL
  (SELECT d.*, 'older', row_number() OVER (ORDER BY d.starts_at DESC, d.doctor_id)
   FROM done d CROSS JOIN clock c
   WHERE d.visit_day < c.today - 35
   ORDER BY d.starts_at DESC, d.doctor_id
   LIMIT 13)
),
numbered AS (
  SELECT pk.*, row_number() OVER (PARTITION BY pk.band ORDER BY pk.starts_at DESC, pk.doctor_id) AS pick
  FROM picked pk
),
planned AS (
  SELECT pk.*,
         CASE WHEN pk.band = 'recent' AND pk.pick <= 2 THEN 'draft'
              WHEN pk.band = 'older' AND pk.pick = 5 THEN 'overdue'
              ELSE 'issued' END AS invoice_status,
         -- insured patients' invoices go to the insurer, the others pay at the desk
         CASE WHEN pk.insured AND raw.plan = 'card' THEN 'insurance'
              WHEN pk.insured AND raw.plan = 'part_card' THEN 'part_insurance'
              ELSE raw.plan END AS payment_plan,
         CASE WHEN pk.band || pk.pick IN ('recent11', 'older3') THEN 10 ELSE 0 END AS discount_percent,
         least(pk.completed_at + interval '6 minutes', c.now_ts) AS issued_at
  FROM numbered pk
  CROSS JOIN clock c
  CROSS JOIN LATERAL (
    SELECT CASE pk.band || pk.pick
             WHEN 'recent4' THEN 'card' WHEN 'recent5' THEN 'part_card' WHEN 'recent6' THEN 'cash'
             WHEN 'recent7' THEN 'card' WHEN 'recent9' THEN 'part_card' WHEN 'recent10' THEN 'card'
             WHEN 'recent11' THEN 'card'
             WHEN 'older5' THEN 'none' WHEN 'older9' THEN 'split'
             WHEN 'older1' THEN 'cash' WHEN 'older6' THEN 'cash' WHEN 'older12' THEN 'cash'
             ELSE CASE WHEN pk.band = 'older' THEN 'card' ELSE 'none' END
           END AS plan
  ) raw
),
lines AS (
  -- the visit itself
  SELECT pl.appointment_id, 1 AS line_no,
         CASE WHEN pl.appointment_type = 'follow_up' THEN 'Follow-up consultation'
              WHEN pl.appointment_type = 'telemedicine' THEN 'Video consultation'
              WHEN pl.doctor_id = '00000000-0000-4000-8000-000000000103' THEN 'Paediatric consultation'
              ELSE 'GP consultation' END AS description,
         CASE WHEN pl.doctor_id = '00000000-0000-4000-8000-000000000103' THEN 'CONS-PAED' ELSE 'CONS-GP' END
           || CASE WHEN pl.appointment_type = 'follow_up' THEN '-FU' ELSE '' END AS code,
         1 AS quantity,
         CASE WHEN pl.appointment_type = 'follow_up' THEN round(pl.consultation_fee * 2 / 3, 0)
              ELSE pl.consultation_fee END::numeric(12, 2) AS unit_price,
         0::numeric(5, 2) AS tax_rate
  FROM planned pl
  UNION ALL
  SELECT pl.appointment_id, 2,
         CASE pl.appointment_type WHEN 'procedure' THEN 'Ear microsuction' ELSE 'Vaccine and administration' END,
         CASE pl.appointment_type WHEN 'procedure' THEN 'PROC-EAR' ELSE 'VACC' END,
         1, CASE pl.appointment_type WHEN 'procedure' THEN 45.00 ELSE 25.00 END, 0
  FROM planned pl WHERE pl.appointment_type IN ('procedure', 'vaccination')
  UNION ALL
  -- tests ordered at the visit
  SELECT pl.appointment_id, 3 + row_number() OVER (PARTITION BY pl.appointment_id ORDER BY t.ordered_at, t.test_code),
         t.test_name, 'TEST-' || t.test_code, 1, t.cost, 0
  FROM planned pl
  JOIN diagnostic_tests t ON t.tenant_id = '00000000-0000-4000-8000-000000000001'
                         AND t.appointment_id = pl.appointment_id AND t.status <> 'cancelled'
  UNION ALL
  -- non-clinical work carries VAT
  SELECT pl.appointment_id, 9, 'Medical report for insurer', 'REPORT-INS', 1, 40.00, 20
  FROM planned pl WHERE pl.band || pl.pick IN ('recent12', 'older8')
),
-- the senior or loyalty discount its note names is on every line, as the database prices it
discounted AS (
  SELECT l.*, round(l.quantity * l.unit_price * pl.discount_percent / 100, 2) AS discount
  FROM lines l JOIN planned pl ON pl.appointment_id = l.appointment_id
),
totals AS (
  SELECT l.appointment_id,
         jsonb_agg(jsonb_build_object(
           'description', l.description, 'code', l.code, 'quantity', l.quantity,
           'unit_price', l.unit_price::numeric(12, 2)::text, 'discount', l.discount::numeric(12, 2)::text,
           'tax_rate', l.tax_rate::numeric(5, 2)::text,
           'amount', (l.quantity * l.unit_price - l.discount)::numeric(12, 2)::text) ORDER BY l.line_no) AS line_items,
         sum(l.quantity * l.unit_price)::numeric(12, 2) AS subtotal,
         sum(l.discount)::numeric(12, 2) AS discount_amount,
         sum(round((l.quantity * l.unit_price - l.discount) * l.tax_rate / 100, 2))::numeric(12, 2) AS tax_amount
  FROM discounted l
  GROUP BY l.appointment_id
),
new_invoices AS (
  INSERT INTO invoices (
    tenant_id, clinic_id, patient_id, appointment_id, invoice_date, due_date, line_items, subtotal,
    discount_amount, tax_amount, total_amount, currency, status, payment_terms, notes, issued_at,
    created_by, created_at)
  SELECT '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', pl.patient_id,
         pl.appointment_id, pl.visit_day,
         CASE WHEN pl.invoice_status <> 'draft' THEN pl.visit_day + 30 END,
         t.line_items, t.subtotal, t.discount_amount, t.tax_amount,
         t.subtotal - t.discount_amount + t.tax_amount, 'GBP', pl.invoice_status, 'Due within 30 days',
         CASE WHEN pl.discount_percent > 0 AND pl.date_of_birth <= pl.visit_day - interval '65 years'
                THEN 'Senior discount (10%)'
              WHEN pl.discount_percent > 0 THEN 'Loyalty discount (10%)'
              WHEN pl.payment_plan IN ('insurance', 'part_insurance')
                THEN 'Billed to ' || (pl.insurance_info ->> 'provider') || ', policy ' || (pl.insurance_info ->> 'policy_number')
              WHEN pl.invoice_status = 'overdue' THEN 'Reminder sent by post and e-mail' END,
         CASE WHEN pl.invoice_status <> 'draft' THEN pl.issued_at END,
         '00000000-0000-4000-8000-000000000106', pl.issued_at
  FROM planned pl
  JOIN totals t ON t.appointment_id = pl.appointment_id
  ORDER BY pl.visit_day, pl.starts_at, pl.doctor_id
  RETURNING id, appointment_id, patient_id, total_amount, issued_at
),
payment_rows AS (
  SELECT ni.id AS invoice_id, ni.patient_id, ni.total_amount, ni.issued_at, c.now_ts,
         pl.payment_plan AS plan, pl.insurance_info
  FROM new_invoices ni
  JOIN planned pl ON pl.appointment_id = ni.appointment_id
  CROSS JOIN clock c
  WHERE pl.payment_plan <> 'none' AND pl.invoice_status = 'issued'
)
INSERT INTO payments (
  tenant_id, invoice_id, patient_id, amount, currency, payment_method, payment_status, transaction_reference,
  payment_gateway, paid_at, received_by, notes)
SELECT '00000000-0000-4000-8000-000000000001', pr.invoice_id, pr.patient_id, pay.amount, 'GBP', pay.method,
       'completed', pay.reference, pay.gateway, pay.paid_at, pay.received_by, pay.notes
FROM payment_rows pr
CROSS JOIN LATERAL (
  VALUES
    -- whole amount at the desk
    (pr.plan IN ('card', 'cash'), pr.total_amount, pr.plan,
     least(pr.issued_at + interval '3 minutes', pr.now_ts), '00000000-0000-4000-8000-000000000105'::uuid, NULL::text),
    -- part at the desk, the rest still owed
    (pr.plan = 'part_card', least(20.00, pr.total_amount - 10)::numeric(12, 2), 'card',
     least(pr.issued_at + interval '3 minutes', pr.now_ts), '00000000-0000-4000-8000-000000000105', 'Paid part today, rest by the due date'),
    -- insurer settles the whole invoice, or 80% of it, a couple of weeks later
    (pr.plan IN ('insurance', 'part_insurance'),
     CASE pr.plan WHEN 'insurance' THEN pr.total_amount ELSE round(pr.total_amount * 0.8, 2) END, 'insurance',
     greatest(pr.issued_at, least(pr.issued_at + interval '16 days', pr.now_ts - interval '1 hour')),
     '00000000-0000-4000-8000-000000000106',
     CASE pr.plan WHEN 'part_insurance' THEN 'Insurer paid 80%; 20% patient excess outstanding' END),
    -- split: cash on the day, the balance by card later
    (pr.plan = 'split', 30.00, 'cash',
     least(pr.issued_at + interval '3 minutes', pr.now_ts), '00000000-0000-4000-8000-000000000105', NULL),
    (pr.plan = 'split', pr.total_amount - 30.00, 'card',
     least(pr.issued_at + interval '9 days', pr.now_ts), '00000000-0000-4000-8000-000000000106', 'Balance paid by phone')
) AS pay_raw (wanted, amount, method, paid_at, received_by, notes)
CROSS JOIN LATERAL (
  SELECT pay_raw.amount, pay_raw.method, pay_raw.paid_at, pay_raw.received_by, pay_raw.notes,
         CASE pay_raw.method
           WHEN 'card' THEN 'AUTH-' || upper(substr(md5(pr.invoice_id::text || pay_raw.paid_at::text), 1, 6))
           WHEN 'insurance' THEN (pr.insurance_info ->> 'policy_number') || '/CLM-'
                                 || upper(substr(md5(pr.invoice_id::text), 1, 6)) END AS reference,
         CASE pay_raw.method WHEN 'card' THEN 'Front desk card terminal' END AS gateway
) AS pay
WHERE pay_raw.wanted
ORDER BY pay.paid_at;

-- The trigger stamps fully paid invoices with the time of seeding; use the last payment's time.
UPDATE invoices i
SET paid_at = (SELECT max(p.paid_at) FROM payments p WHERE p.tenant_id = i.tenant_id AND p.invoice_id = i.id)
WHERE i.tenant_id = '00000000-0000-4000-8000-000000000001' AND i.status = 'paid';
