// Command otlp_grpc_go is a test peer: a real grpc-go OTLP client, as telemetrygen and the
// OpenTelemetry Go SDK use. It opens -connections connections to 127.0.0.1:-port one after
// another (h2c, no TLS), sends -calls Logs Export calls on each (with `authorization: Bearer
// TOKEN` when -token is given), and closes each connection the normal way (conn.Close: GOAWAY,
// then the TCP close). It exits 0 when every call succeeded and prints one line per connection.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	collogs "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	common "go.opentelemetry.io/proto/otlp/common/v1"
	logs "go.opentelemetry.io/proto/otlp/logs/v1"
	resource "go.opentelemetry.io/proto/otlp/resource/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
)

func str(key, value string) *common.KeyValue {
	return &common.KeyValue{Key: key, Value: &common.AnyValue{Value: &common.AnyValue_StringValue{StringValue: value}}}
}

// request is one Codex-shaped log record (a `codex.user_prompt` event) tagged with `marker`.
func request(marker string) *collogs.ExportLogsServiceRequest {
	now := uint64(time.Now().UnixNano())
	return &collogs.ExportLogsServiceRequest{
		ResourceLogs: []*logs.ResourceLogs{{
			Resource: &resource.Resource{Attributes: []*common.KeyValue{
				str("service.name", "codex_exec"),
				str("service.version", "0.0.0-go-peer"),
			}},
			ScopeLogs: []*logs.ScopeLogs{{
				Scope: &common.InstrumentationScope{Name: "codex_otel"},
				LogRecords: []*logs.LogRecord{{
					TimeUnixNano:         now,
					ObservedTimeUnixNano: now,
					Body:                 &common.AnyValue{Value: &common.AnyValue_StringValue{StringValue: "user_prompt"}},
					Attributes: []*common.KeyValue{
						str("event.name", "codex.user_prompt"),
						str("event.timestamp", time.Now().UTC().Format(time.RFC3339Nano)),
						str("conversation.id", marker),
						str("prompt_length", "5"),
						str("prompt", "[REDACTED]"),
					},
				}},
			}},
		}},
	}
}

func run(port, connections, calls int, marker, token string) error {
	target := fmt.Sprintf("127.0.0.1:%d", port)
	for c := 0; c < connections; c++ {
		conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return fmt.Errorf("connection %d: %w", c, err)
		}
		client := collogs.NewLogsServiceClient(conn)
		for i := 0; i < calls; i++ {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			if token != "" {
				ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
			}
			_, err := client.Export(ctx, request(fmt.Sprintf("%s-%d-%d", marker, c, i)))
			cancel()
			if err != nil {
				conn.Close()
				return fmt.Errorf("connection %d, call %d: %w", c, i, err)
			}
		}
		if err := conn.Close(); err != nil {
			return fmt.Errorf("closing connection %d: %w", c, err)
		}
		fmt.Printf("connection %d: %d calls exported, closed\n", c, calls)
	}
	return nil
}

func main() {
	port := flag.Int("port", 4317, "the collector's OTLP/gRPC port on 127.0.0.1")
	connections := flag.Int("connections", 1, "connections to open, one after another")
	calls := flag.Int("calls", 1, "Logs Export calls on each connection")
	marker := flag.String("marker", "go-peer", "conversation.id prefix of the records sent")
	token := flag.String("token", "", "the collector token, sent as `authorization: Bearer TOKEN`")
	flag.Parse()
	if err := run(*port, *connections, *calls, *marker, *token); err != nil {
		fmt.Fprintln(os.Stderr, "otlp_grpc_go:", err)
		os.Exit(1)
	}
}
