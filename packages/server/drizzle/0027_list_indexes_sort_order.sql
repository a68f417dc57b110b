DROP INDEX "clips_stream_idx";--> statement-breakpoint
DROP INDEX "notifications_inbox_idx";--> statement-breakpoint
CREATE INDEX "clips_stream_idx" ON "clips" USING btree ("stream_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "notifications_inbox_idx" ON "notifications" USING btree ("user_id","created_at" DESC NULLS FIRST,"stream_id" DESC NULLS FIRST,"kind" DESC NULLS FIRST);