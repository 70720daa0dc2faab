-- The demo clinic's letterhead and visit lengths (migration 028). Loaded after the earlier demo
-- files by the owner in the same transaction; runs on PGlite and PostgreSQL 15+.
--
-- The logo is a 96 × 96 PNG drawn from shapes by riversideLogo() in test/png.ts (a teal disc, a
-- white cross, two river waves): nothing fetched. Stored as the app stores one.

SELECT set_config('app.current_tenant_id', '00000000-0000-4000-8000-000000000001', true);

-- As the administrator who would have uploaded it (the function asks for admin.settings).
SELECT set_config('app.current_user_id', '00000000-0000-4000-8000-000000000101', true);
SELECT store_clinic_logo('\x89504e470d0a1a0a0000000d4948445200000060000000600806000000e29877380000023d4944415478daedddc16dc3300c85e14cd0793a5807e942ddab37e754a028da26b245f23df20fa06b40f3336c51b6a9db711c3746ddb008f2e5edfd383300484cb62bca88a42b638c4bba1a8645e2cffe1c202ccef84c806c088b4b4d05401684c575be12201ac1e2065b0d10096131bb51018840b098562a01ec8670a95ee5007621581454aa003b102caa596580ab08164b09ea0057102cd6711c00ce22582ca2b9009c41705936b6015845480570f94902549ec96e002b08168b6a8e00cf2200a00ea0703375057806c16259d919e0110200aa004af3797780ff1000500450ab683b00fc8500801a80e29a4e1780df1000000000f987eb9d007e2248bfb1ecfa3c00004700d5603b027c4700000000000060388072a05d01be10000000000000000000000060000000030000180000c0c8040081e701009014000060140280c09b7100909c62800a84d78fcf87433999abf1977e1fb012b432c695f8cb00ae04ad80b12be6d48ff422929e89b13bc6b4af2433131f011115dbd287da2b07149db00effbffca5fcc4333432fe53cd3aa65da3a3e23fdd2d65e22c2522fe4b0d9ba6cdd3b33b283ed5b22c32e8e8a454febf5ccfb86995b054dbca6995b044e3d6a9957079e7dce995707af36e2ae1a4e6dd3bea83ce9570ea060e54c2851b3864d4074eb3acd24d7ca657c223b6b152ad84c76ce4a6fe6643fbad0c3b26de6a33cfaec9b7d9ceb663e2ad3674ee9a7c9b2dcd3b263e1dc005223b1fe900aa105579280310d9a1affcd8250092fb574b1daf1cc04e148763b300e83cee97dbc9f39d3c5f3d0000000049454e44ae426082'::bytea);
SELECT set_config('app.current_user_id', '', true);

-- A family practice's usual lengths: a check-up is the long one, a vaccination the short one.
UPDATE appointment_type_durations d SET duration_minutes = v.minutes
FROM (VALUES ('consultation', 15), ('follow_up', 15), ('check_up', 30), ('procedure', 45), ('vaccination', 10),
             ('emergency', 15), ('telemedicine', 10)) AS v (appointment_type, minutes)
WHERE d.clinic_id = '00000000-0000-4000-8000-000000000002' AND d.appointment_type = v.appointment_type;
