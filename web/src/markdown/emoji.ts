// A small map of common shortcodes; unknown :names: stay as typed.
export const EMOJI: Record<string, string> = {
  smile: '😄', smiley: '😃', grinning: '😀', laughing: '😆', joy: '😂', rofl: '🤣', wink: '😉',
  blush: '😊', slightly_smiling_face: '🙂', upside_down_face: '🙃', heart_eyes: '😍', kissing_heart: '😘',
  thinking: '🤔', thinking_face: '🤔', neutral_face: '😐', expressionless: '😑', unamused: '😒',
  roll_eyes: '🙄', grimacing: '😬', relieved: '😌', pensive: '😔', sleepy: '😪', sleeping: '😴',
  sunglasses: '😎', confused: '😕', worried: '😟', cry: '😢', sob: '😭', angry: '😠', rage: '😡',
  scream: '😱', flushed: '😳', sweat_smile: '😅', innocent: '😇', nerd_face: '🤓', partying_face: '🥳',
  '+1': '👍', thumbsup: '👍', '-1': '👎', thumbsdown: '👎', ok_hand: '👌', clap: '👏', wave: '👋',
  pray: '🙏', muscle: '💪', raised_hands: '🙌', point_up: '☝️', eyes: '👀', heart: '❤️',
  broken_heart: '💔', fire: '🔥', star: '⭐', sparkles: '✨', tada: '🎉', rocket: '🚀', boom: '💥',
  100: '💯', white_check_mark: '✅', heavy_check_mark: '✔️', x: '❌', warning: '⚠️', bulb: '💡',
  coffee: '☕', beer: '🍺', pizza: '🍕', cake: '🍰', sun: '☀️', sunny: '☀️', cloud: '☁️', zap: '⚡',
  snowflake: '❄️', bug: '🐛', memo: '📝', calendar: '📅', lock: '🔒', key: '🔑', bell: '🔔',
  question: '❓', exclamation: '❗', speech_balloon: '💬', email: '📧', computer: '💻', phone: '📱',
  dog: '🐶', cat: '🐱', unicorn: '🦄', see_no_evil: '🙈', poop: '💩', hankey: '💩', skull: '💀',
  ghost: '👻', robot: '🤖', alien: '👽', checkered_flag: '🏁', trophy: '🏆', gift: '🎁', moneybag: '💰',
};
