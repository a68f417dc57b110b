ALTER TABLE "stream_reminders" ADD COLUMN "access_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Reminders asked for before this column: under the privacy their stream has now.
UPDATE "stream_reminders" SET "access_version" = "streams"."access_version" FROM "streams" WHERE "streams"."id" = "stream_reminders"."stream_id";
