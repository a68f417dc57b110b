CREATE TABLE "viewer_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"stream_id" text NOT NULL,
	"socket_id" text NOT NULL,
	"user_id" text,
	"joined_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "viewer_sessions" ADD CONSTRAINT "viewer_sessions_stream_id_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."streams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "viewer_sessions_open_idx" ON "viewer_sessions" USING btree ("stream_id","socket_id") WHERE "viewer_sessions"."left_at" is null;--> statement-breakpoint
CREATE INDEX "viewer_sessions_user_idx" ON "viewer_sessions" USING btree ("stream_id","user_id","joined_at");