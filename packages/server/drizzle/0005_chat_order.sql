ALTER TABLE "chat_messages" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
CREATE INDEX "chat_messages_stream_seq_idx" ON "chat_messages" USING btree ("stream_id","seq");