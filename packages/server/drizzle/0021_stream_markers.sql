CREATE TABLE "stream_markers" (
	"id" text PRIMARY KEY NOT NULL,
	"stream_id" text NOT NULL,
	"created_by" text NOT NULL,
	"title" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stream_markers" ADD CONSTRAINT "stream_markers_stream_id_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."streams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stream_markers" ADD CONSTRAINT "stream_markers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stream_markers_stream_idx" ON "stream_markers" USING btree ("stream_id","at");