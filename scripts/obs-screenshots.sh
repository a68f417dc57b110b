#!/usr/bin/env bash
# Makes the OBS Studio screenshots of docs/broadcasting.md: OBS streaming over
# RTMP to a running OnAir server, its Stream and Output settings, and the
# stream playing in the quickstart's page.
#
#   PORT=8090 pnpm quickstart &          # a server with RTMP on 1935
#   bash scripts/obs-screenshots.sh http://127.0.0.1:8090
#
# Needs (Debian): obs-studio xvfb xdotool imagemagick x11-utils chromium ffmpeg.
# OBS runs on a virtual display with software OpenGL; nothing is installed or
# changed outside a temporary directory. The stream key stays masked in OBS.
set -euo pipefail

BASE="${1:-http://127.0.0.1:8080}"
RTMP="${ONAIR_RTMP_URL:-rtmp://127.0.0.1:1935/live}"
OUT="$(cd "$(dirname "$0")/.." && pwd)/docs/images/obs"
LOGS="${OBS_LOGS:-/tmp/onair-obs-logs}"
WORK="$(mktemp -d /tmp/onair-obs-XXXX)"
DISPLAY_NUMBER="${OBS_DISPLAY:-:97}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$OUT"

pids=()
token=""
stream_id=""
cleanup() {
  # The stream ends whatever happened, so its key opens nothing afterwards.
  if [ -n "$stream_id" ]; then
    curl -fsS -X POST "$BASE/v1/streams/$stream_id/end" -H "authorization: Bearer $token" \
      >/dev/null 2>&1 || true
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # OBS's and Xvfb's logs outlive the run (they hold no key: OBS logs the server, not the key).
  mkdir -p "$LOGS" && cp "$WORK"/*.log "$LOGS"/ 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)$1))"; }

# A broadcaster and their stream (development tokens: the quickstart's --dev).
token=$(curl -fsS -X POST "$BASE/v1/dev/token" -H 'content-type: application/json' \
  -d '{"displayName":"Ada (OBS)"}' | json .token)
created=$(curl -fsS -X POST "$BASE/v1/streams" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"title":"Live from OBS Studio","privacy":"public"}')
stream_id=$(echo "$created" | json .stream.id)
stream_key=$(echo "$created" | json .streamKey)

# A test card with a tone for OBS to send.
ffmpeg -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 30 \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac "$WORK/test.mp4"

# OBS's profile: the settings docs/broadcasting.md gives for RTMP.
config="$WORK/home/.config/obs-studio"
mkdir -p "$config/basic/profiles/OnAir" "$config/basic/scenes"
cat > "$config/global.ini" <<EOF
[General]
FirstRun=true
LastVersion=486539266
EnableAutoUpdates=false
ConfirmOnExit=false

[BasicWindow]
WarnBeforeStartingStream=false
WarnBeforeStoppingStream=false

[Basic]
Profile=OnAir
ProfileDir=OnAir
SceneCollection=OnAir
SceneCollectionFile=OnAir
EOF
cat > "$config/basic/profiles/OnAir/basic.ini" <<EOF
[General]
Name=OnAir

[Output]
Mode=Advanced

[AdvOut]
Encoder=obs_x264
TrackIndex=1
RecType=Standard
RecFilePath=$WORK

[Video]
BaseCX=1280
BaseCY=720
OutputCX=1280
OutputCY=720
FPSType=0
FPSCommon=30

[Audio]
SampleRate=48000
ChannelSetup=Stereo
EOF
echo '{"bitrate":2500,"keyint_sec":2,"rate_control":"CBR","profile":"main","tune":"zerolatency","preset":"veryfast"}' \
  > "$config/basic/profiles/OnAir/streamEncoder.json"
printf '{"settings":{"bwtest":false,"key":"%s","server":"%s","use_auth":false},"type":"rtmp_custom"}\n' \
  "$stream_key" "$RTMP" > "$config/basic/profiles/OnAir/service.json"
cat > "$config/basic/scenes/OnAir.json" <<EOF
{
  "current_scene": "Lesson", "current_program_scene": "Lesson", "name": "OnAir",
  "scene_order": [{ "name": "Lesson" }],
  "sources": [
    { "id": "scene", "versioned_id": "scene", "name": "Lesson",
      "uuid": "5d2f3f0c-0000-4000-8000-000000000001", "enabled": true, "mixers": 0,
      "settings": { "id_counter": 1, "custom_size": false, "items": [
        { "name": "Test pattern", "source_uuid": "5d2f3f0c-0000-4000-8000-000000000002",
          "visible": true, "locked": false, "rot": 0.0, "pos": { "x": 0.0, "y": 0.0 },
          "scale": { "x": 1.0, "y": 1.0 }, "align": 5, "bounds_type": 0, "id": 1 } ] } },
    { "id": "ffmpeg_source", "versioned_id": "ffmpeg_source", "name": "Test pattern",
      "uuid": "5d2f3f0c-0000-4000-8000-000000000002", "enabled": true, "mixers": 255,
      "settings": { "local_file": "$WORK/test.mp4", "looping": true, "is_local_file": true } }
  ]
}
EOF

export DISPLAY="$DISPLAY_NUMBER"
Xvfb "$DISPLAY" -screen 0 1440x900x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" LIBGL_ALWAYS_SOFTWARE=1 QT_QPA_PLATFORM=xcb \
  obs --startstreaming --disable-shutdown-check --disable-updater --disable-missing-files-check \
  >"$WORK/obs.log" 2>&1 &
pids+=($!)

# The stream goes live when OBS connects.
for _ in $(seq 60); do
  status=$(curl -fsS "$BASE/v1/streams/$stream_id" | json .status)
  [ "$status" = live ] && break
  sleep 1
done
[ "$status" = live ] || { echo "OBS did not go live; its log will be in $LOGS/obs.log" >&2; exit 1; }
sleep 10

main=$(xdotool search --name '^OBS [0-9]' | head -1)
xdotool windowmove "$main" 0 0 windowsize "$main" 1440 900
sleep 2
shot() { import -window "$1" "$WORK/$2.png" && convert "$WORK/$2.png" -strip -colors 256 "PNG8:$OUT/$2.png"; }
shot root obs-live

# Settings is the fourth button of the Controls dock, bottom right.
xdotool mousemove 1300 820 click 1
sleep 3
settings=$(xdotool search --name '^Settings$' | head -1)
eval "$(xdotool getwindowgeometry --shell "$settings")"
# The settings' pages are listed down its left side, 36 px apart: Stream second, Output third.
xdotool mousemove $((X + 70)) $((Y + 68)) click 1
sleep 2
shot "$settings" obs-stream
xdotool mousemove $((X + 70)) $((Y + 104)) click 1
sleep 2
shot "$settings" obs-output
xdotool key Escape

# The stream in the quickstart's player (LL-HLS).
(cd "$ROOT" && pnpm exec tsx scripts/obs-viewer.ts "$BASE" "$stream_id" "$WORK/viewer.png")
convert "$WORK/viewer.png" -strip -colors 256 "PNG8:$OUT/viewer.png"

echo "Screenshots in $OUT"
