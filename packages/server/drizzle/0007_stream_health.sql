CREATE TABLE "stream_health" (
	"stream_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"report" jsonb NOT NULL,
	CONSTRAINT "stream_health_stream_id_at_pk" PRIMARY KEY("stream_id","at")
);
