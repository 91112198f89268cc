/**
 * The core's own words, in both languages. Typed so that a string missing in one language
 * fails the type check. Feature modules keep their own strings beside their code.
 */
import type { Locale } from './types';

/** Bump when the purpose notice changes: people see the new text once and the version is recorded. */
export const PURPOSE_NOTICE_VERSION = '2026-11-21';

export const MAX_MESSAGE_CHARS = 4000;

export interface CoreMessages {
  welcomeTitle: string;
  welcome: string;
  purposeNotice: string;
  helpTitle: string;
  helpIntro: string;
  helpFooter: string;
  notUnderstood: (input: string) => string;
  unknownCommand: (word: string) => string;
  emptyMessage: string;
  attachmentsIgnored: string;
  tooLong: (limit: number, actual: number) => string;
  internalError: (reference: string) => string;
  membersOnly: string;
  channelCommandRefused: string;
  thinking: string;
}

export const coreMessages: Record<Locale, CoreMessages> = {
  ja: {
    welcomeTitle: 'Tsumiki(積み木)へようこそ',
    welcome:
      'キャリアは選ぶものではなく、経験を通じて積み上げていくものです。Tsumiki はその積み木を一緒に考える相棒です。' +
      '社内の研修・社内公募・ジョブシャドウイング・キャリアガイドをもとに、いつでも相談にのります。答えはあなたの中にあります。Tsumiki はそれを言葉にする補助輪です。',
    purposeNotice:
      '**個人情報の取り扱い**\n' +
      '- 保存するもの: 相談の会話(既定で90日後に自動削除)、週次のふりかえり(あなたが削除するまで)、設定。\n' +
      '- 目的: あなたのキャリア相談とふりかえりの支援のためだけに使います。\n' +
      '- 見られる人: あなただけです。上司の1on1準備に使われるのは、あなたが `share on` で共有した学びとテーマ、共有したエントリだけです。\n' +
      '- 削除: `export` でいつでもデータを受け取れ、`forget` ですべて消去できます。',
    helpTitle: 'Tsumiki でできること',
    helpIntro: '次のように話しかけてください(Slack では `/career` の後に、Teams ではそのまま入力)。',
    helpFooter: 'コマンド以外のメッセージは、すべてキャリア相談として受け付けます。',
    notUnderstood: (input) => `「${input}」はわかりませんでした。できることは次のとおりです。`,
    unknownCommand: (word) => `\`${word}\` というコマンドはありません。`,
    emptyMessage: 'メッセージが空でした。相談したいことを書いてください。例: 「入社5年目です。次にどんな経験を積むとよいでしょうか」。`help` でできることを表示します。',
    attachmentsIgnored: 'ファイルや画像は読めません。テキストで書いていただければお答えします。',
    tooLong: (limit, actual) =>
      `メッセージが長すぎます(${actual.toLocaleString('ja-JP')}文字、上限${limit.toLocaleString('ja-JP')}文字)。要点を短くして、もう一度送ってください。`,
    internalError: (reference) => `申し訳ありません、処理中に問題が起きました。少し時間をおいてもう一度お試しください。(参照番号: ${reference})`,
    membersOnly: 'この機能は組織に登録されている社員の方だけが使えます。人事部に組織データへの登録を依頼してください。',
    channelCommandRefused: 'チャンネルでは社内資料にもとづく相談だけにお答えします。個人の設定やふりかえりは、Tsumiki とのダイレクトメッセージでどうぞ。',
    thinking: '考えています…',
  },
  en: {
    welcomeTitle: 'Welcome to Tsumiki (積み木)',
    welcome:
      'A career is not picked from a menu; it is built up, block by block, through experience. Tsumiki helps you think about your next block, ' +
      'any hour, from the company’s own trainings, internal postings, job-shadowing programmes and career guides. The answers are yours: Tsumiki is a training wheel that helps you put them into words.',
    purposeNotice:
      '**How your data is handled**\n' +
      '- What is stored: your consultation messages (deleted after 90 days by default), your weekly reflections (kept until you delete them), your settings.\n' +
      '- Why: only to support your career consultations and reflections.\n' +
      '- Who can see it: only you. Your manager’s 1on1 suggestions use only the lessons and themes you share with `share on`, and entries you share one by one.\n' +
      '- Deleting it: `export` gives you all your data at any time, and `forget` erases it.',
    helpTitle: 'What Tsumiki can do',
    helpIntro: 'Write one of these (in Slack after `/career`, in Teams as a message).',
    helpFooter: 'Anything else you write is taken as a career consultation.',
    notUnderstood: (input) => `I did not understand “${input}”. Here is what I can do.`,
    unknownCommand: (word) => `There is no command \`${word}\`.`,
    emptyMessage: 'Your message was empty. Tell me what is on your mind, for example “How do I move into product management?”. `help` lists what I can do.',
    attachmentsIgnored: 'I cannot read files or images. Please write your question as text.',
    tooLong: (limit, actual) =>
      `Your message is too long (${actual.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')}). Please shorten it to the essentials and send it again.`,
    internalError: (reference) => `Sorry, something went wrong on my side. Please try again in a moment. (Reference: ${reference})`,
    membersOnly: 'This feature is for employees in the organisation directory. Please ask HR to add you.',
    channelCommandRefused: 'In channels I only answer from company documents. For your settings and reflections, message Tsumiki directly.',
    thinking: 'Thinking…',
  },
};
