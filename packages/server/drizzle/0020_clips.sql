CREATE TABLE "clips" (
	"id" text PRIMARY KEY NOT NULL,
	"stream_id" text NOT NULL,
	"created_by" text NOT NULL,
	"title" text NOT NULL,
	"start_seconds" double precision NOT NULL,
	"duration_seconds" double precision NOT NULL,
	"has_poster" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clips" ADD CONSTRAINT "clips_stream_id_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."streams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clips" ADD CONSTRAINT "clips_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clips_stream_idx" ON "clips" USING btree ("stream_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);