CREATE TABLE "view_events" (
	"session_id" text NOT NULL,
	"seq" integer NOT NULL,
	"position" integer NOT NULL,
	"stream_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"data" jsonb,
	CONSTRAINT "view_events_session_id_seq_position_at_pk" PRIMARY KEY("session_id","seq","position","at")
) PARTITION BY RANGE ("at");
--> statement-breakpoint
-- Months are created ahead by the server (view_events_YYYY_MM); this one holds only what falls outside them.
CREATE TABLE "view_events_default" PARTITION OF "view_events" DEFAULT;
--> statement-breakpoint
CREATE TABLE "view_minutes" (
	"stream_id" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"watch_ms" bigint NOT NULL,
	"rebuffer_ms" bigint NOT NULL,
	"rebuffer_count" integer NOT NULL,
	"bitrate_weighted" double precision NOT NULL,
	"bitrate_ms" bigint NOT NULL,
	CONSTRAINT "view_minutes_stream_id_minute_pk" PRIMARY KEY("stream_id","minute")
);
--> statement-breakpoint
CREATE TABLE "view_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"stream_id" text NOT NULL,
	"user_id" text,
	"started_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"last_seq" integer NOT NULL,
	"engine" text NOT NULL,
	"device" text NOT NULL,
	"browser" text NOT NULL,
	"os" text NOT NULL,
	"dimensions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"startup_ms" integer,
	"watch_ms" bigint NOT NULL,
	"rebuffer_count" integer NOT NULL,
	"rebuffer_ms" bigint NOT NULL,
	"bitrate_kbps" double precision,
	"height" double precision,
	"quality_switches" integer NOT NULL,
	"latency_mean" double precision,
	"latency_p95" double precision,
	"dropped_frames" integer NOT NULL,
	"errors" integer NOT NULL,
	"fallbacks" integer NOT NULL,
	"failed" boolean NOT NULL,
	"exited_before_start" boolean NOT NULL,
	"ended" boolean NOT NULL
);
--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "peak_viewers" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "view_events_stream_idx" ON "view_events" USING btree ("stream_id","at");--> statement-breakpoint
CREATE INDEX "view_sessions_stream_idx" ON "view_sessions" USING btree ("stream_id","started_at");--> statement-breakpoint
CREATE INDEX "view_sessions_user_idx" ON "view_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "view_sessions_seen_idx" ON "view_sessions" USING btree ("last_seen_at");