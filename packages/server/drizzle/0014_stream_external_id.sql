ALTER TABLE "streams" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "streams_external_idx" ON "streams" USING btree ("external_id");