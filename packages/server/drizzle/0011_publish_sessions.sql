CREATE TABLE "publish_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"stream_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"report" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "publish_sessions_stream_idx" ON "publish_sessions" USING btree ("stream_id");--> statement-breakpoint
CREATE INDEX "publish_sessions_seen_idx" ON "publish_sessions" USING btree ("last_seen_at");