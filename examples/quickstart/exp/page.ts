import { OnAirClient, Publisher, Player } from '@onair/core';
(window as any).run = async (baseUrl: string, token: string, streamId: string) => {
  const client = new OnAirClient({ baseUrl, token });
  const pub = new Publisher(client, { streamId, video: { width: 640, height: 360 } });
  pub.subscribe((s) => console.log('publisher', s.status, s.error?.message ?? ''));
  await pub.publish();
  return 'ok';
};
(window as any).play = async (src: string) => {
  const video = document.createElement('video');
  video.muted = true;
  document.body.append(video);
  const player = new Player(video);
  player.subscribe((s) => console.log('player', s.status, s.error?.message ?? ''));
  await player.load(src);
  (window as any).video = video;
};
