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

/**
 * Makes text safe in Telegram's HTML parse mode: the Bot API asks for every <, > and & that is
 * not part of a tag or entity to be written as &lt; &gt; &amp; (and reads only those entities
 * and numeric ones), so a building called "<A&B>" is shown as written, not refused with
 * "can't parse entities".
 */
export function escapeTelegramHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
