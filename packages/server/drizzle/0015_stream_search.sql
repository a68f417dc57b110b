ALTER TABLE "streams" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || description || ' ' || coalesce(category, '') || ' ' || tags::text)) STORED;--> statement-breakpoint
CREATE INDEX "streams_search_idx" ON "streams" USING gin ("search");--> statement-breakpoint
CREATE INDEX "streams_tags_idx" ON "streams" USING gin ("tags");