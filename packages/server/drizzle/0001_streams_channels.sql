CREATE TABLE "channels" (
	"id" text PRIMARY KEY NOT NULL,
	"avatar_url" text,
	"banner_url" text,
	"description" text DEFAULT '' NOT NULL,
	"emotes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"follower_count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follows" (
	"follower_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follows_follower_id_channel_id_pk" PRIMARY KEY("follower_id","channel_id")
);
--> statement-breakpoint
CREATE TABLE "stream_invites" (
	"stream_id" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "stream_invites_stream_id_user_id_pk" PRIMARY KEY("stream_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "tags" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "thumbnail_url" text;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "quality_preset" text DEFAULT '720p' NOT NULL;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "recording" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "recording_url" text;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "viewer_limit" integer;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "chat_enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "chat_mode" text DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "slow_mode_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "emote_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "reactions_enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "qna_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_id_users_id_fk" FOREIGN KEY ("id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follows" ADD CONSTRAINT "follows_follower_id_users_id_fk" FOREIGN KEY ("follower_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follows" ADD CONSTRAINT "follows_channel_id_users_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stream_invites" ADD CONSTRAINT "stream_invites_stream_id_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."streams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follows_channel_idx" ON "follows" USING btree ("channel_id");--> statement-breakpoint
CREATE INDEX "streams_owner_status_started_idx" ON "streams" USING btree ("owner_id","status","started_at","id");--> statement-breakpoint
CREATE INDEX "streams_category_status_started_idx" ON "streams" USING btree ("category","status","started_at","id");--> statement-breakpoint
CREATE INDEX "streams_status_scheduled_idx" ON "streams" USING btree ("status","scheduled_at","id");--> statement-breakpoint
CREATE INDEX "streams_status_ended_idx" ON "streams" USING btree ("status","ended_at","id");