-- nhm schema 3: a secret per Vergleichsring that orders its anonymous labels ("Kommune A" …),
-- so nobody who knows the member list can work out which AGS hides behind which label.

ALTER TABLE ring ADD COLUMN label_salt VARCHAR;
UPDATE ring SET label_salt = gen_random_uuid()::VARCHAR;
ALTER TABLE ring ALTER COLUMN label_salt SET DEFAULT gen_random_uuid()::VARCHAR;
