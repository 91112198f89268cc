/** The consultation's own interface words, in both languages (typed so none is missing). */
import type { Locale } from '../core/types';

export interface ConsultationMessages {
  askSummary: string;
  askUsage: string;
  askEmpty: string;
  trainingsSummary: string;
  trainingsUsage: string;
  postingsSummary: string;
  postingsUsage: string;
  topicEmpty: (usage: string) => string;
  trainingsIntro: (topic: string) => string;
  postingsIntro: (topic: string) => string;
  nothingFound: (topic: string) => string;
  withheld: string;
  feedbackUp: string;
  feedbackDown: string;
  feedbackThanks: string;
  feedbackNotYours: string;
  hours: (h: number) => string;
  deadline: (d: string) => string;
  closed: string;
  formats: Record<string, string>;
}

export const consultationMessages: Record<Locale, ConsultationMessages> = {
  ja: {
    askSummary: 'キャリアの相談(ダイレクトメッセージにそのまま書いても同じです)',
    askUsage: 'ask <相談したいこと>',
    askEmpty: '相談したいことを続けて書いてください。例: `ask 入社5年目です。次にどんな経験を積むとよいでしょうか`',
    trainingsSummary: 'テーマに合う研修を、リンク・形式・時間つきで表示',
    trainingsUsage: 'trainings <テーマ>',
    postingsSummary: 'テーマに合う募集中の社内公募を、リンクと締切つきで表示',
    postingsUsage: 'postings <テーマ>',
    topicEmpty: (usage) => `テーマを続けて書いてください。例: \`${usage}\``,
    trainingsIntro: (topic) => `「${topic}」に関係する研修です。`,
    postingsIntro: (topic) => `「${topic}」に関係する募集中の社内公募です。`,
    nothingFound: (topic) => `「${topic}」に合うものは見つかりませんでした。別の言葉(職種名やスキル名)でお試しください。`,
    withheld: '申し訳ありません、この回答はお見せできない内容を含んでいたため、代わりに関連資料をご紹介します。',
    feedbackUp: '👍 役に立った',
    feedbackDown: '👎 いまひとつ',
    feedbackThanks: 'フィードバックありがとうございます。今後の改善に使わせていただきます。',
    feedbackNotYours: 'この回答への評価は、相談したご本人だけができます。',
    hours: (h) => `${h}時間`,
    deadline: (d) => `締切 ${d}`,
    closed: '募集終了',
    formats: { online: 'オンライン', blended: 'ブレンド型', 'e-learning': 'eラーニング', offline: '集合研修', 'in-person': '集合研修' },
  },
  en: {
    askSummary: 'a career consultation (a plain direct message does the same)',
    askUsage: 'ask <your question>',
    askEmpty: 'Please write your question after `ask`, for example `ask How do I move into product management?`',
    trainingsSummary: 'trainings on a topic, with links, format and hours',
    trainingsUsage: 'trainings <topic>',
    postingsSummary: 'open internal postings on a topic, with links and deadlines',
    postingsUsage: 'postings <topic>',
    topicEmpty: (usage) => `Please add a topic, for example \`${usage}\``,
    trainingsIntro: (topic) => `Trainings related to “${topic}”:`,
    postingsIntro: (topic) => `Open internal postings related to “${topic}”:`,
    nothingFound: (topic) => `I found nothing matching “${topic}”. Try other words, such as a role or a skill.`,
    withheld: 'Sorry, that answer contained something I cannot show, so here are the related documents instead.',
    feedbackUp: '👍 Helpful',
    feedbackDown: '👎 Not helpful',
    feedbackThanks: 'Thank you for the feedback; it helps improve Tsumiki.',
    feedbackNotYours: 'Only the person who asked can rate this answer.',
    hours: (h) => `${h} h`,
    deadline: (d) => `deadline ${d}`,
    closed: 'closed',
    formats: { online: 'online', blended: 'blended', 'e-learning': 'e-learning', offline: 'in person', 'in-person': 'in person', 集合研修: 'in person' },
  },
};
