/**
 * The port through which accounts learn how many videos a space holds, without knowing videos:
 * provided by VideosModule (backed by VideoRepository), injected by AccountService.
 */
export abstract class VideoCounts {
  abstract countByOwner(uid: number): Promise<number>;
}
