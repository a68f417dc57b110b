CREATE TABLE "clip_file_drops" (
	"clip_id" text PRIMARY KEY NOT NULL,
	"node" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "clip_file_drops_node_idx" ON "clip_file_drops" USING btree ("node","clip_id");