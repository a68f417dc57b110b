ALTER TABLE "questions" ADD COLUMN "answer_text" text;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "answered_by" text;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "answering" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "questions_answering_idx" ON "questions" USING btree ("stream_id") WHERE "questions"."answering";