-- The new indexes are built before the old ones go, so reads keep an index throughout; a large
-- install may build them beforehand with CREATE INDEX CONCURRENTLY (docs/deployment.md).
CREATE INDEX IF NOT EXISTS "clips_stream_desc_idx" ON "clips" USING btree ("stream_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "notifications_inbox_desc_idx" ON "notifications" USING btree ("user_id","created_at" DESC NULLS FIRST,"stream_id" DESC NULLS FIRST,"kind" DESC NULLS FIRST);--> statement-breakpoint
DROP INDEX IF EXISTS "clips_stream_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "notifications_inbox_idx";
