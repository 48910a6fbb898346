/**
 * Makes a value safe inside Slack-style markup (Slack mrkdwn; Mattermost and Rocket.Chat read the
 * same). Slack's control sequences all start with '<' (`<!channel>`, `<@U123>`, `<http://x|label>`),
 * and its documentation asks for exactly &, < and > to be escaped as entities. Mattermost and
 * Rocket.Chat also turn a plain `@channel`, `@here`, `@all` or `@everyone` into a mass mention,
 * so a zero-width space goes after the '@'. The entities are HTML-safe too (the dashboard feed
 * carries the same text).
 */
export function escapeChatText(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(?=(channel|here|all|everyone)\b)/gi, '@\u200B');
}
