/**
 * The Slack channel's own words (labels, App Home, assistant prompts), in both languages.
 * Typed so that a string missing in one language fails the type check.
 */
import type { Locale } from '../../core/types';

export interface SlackTexts {
  aiLabel: string;
  sourcesLabel: string;
  deadline: (date: string) => string;
  closed: string;
  helpful: string;
  notHelpful: string;
  confirmTitle: string;
  confirmText: string;
  confirmYes: string;
  confirmNo: string;
  submit: string;
  cancel: string;
  modalTitle: string;
  continued: string;
  exportComment: string;
  exportFallback: string;
  stillWorking: string;
  failed: (reason: string) => string;
  deliveredToDm: string;
  assistantPromptsTitle: string;
  assistantGreeting: string;
  suggestedPrompts: Array<{ title: string; message: string }>;
  home: {
    title: string;
    intro: string;
    reflectionHeader: string;
    enabled: (day: string, time: string, zone: string) => string;
    disabled: string;
    paused: (until: string) => string;
    next: (when: string) => string;
    nextUnknown: string;
    share: (on: boolean) => string;
    journalHeader: string;
    noEntries: string;
    oneOnOneHeader: string;
    oneOnOne: (manager: string, at: string) => string;
    noOneOnOne: string;
    someone: string;
    buttons: { scheduleOn: string; scheduleOff: string; changeSlot: string; shareOn: string; shareOff: string; reflect: string; journal: string; export: string };
    guestNote: string;
  };
  weekdays: string[];
}

export const slackTexts: Record<Locale, SlackTexts> = {
  ja: {
    aiLabel: 'AI が生成した回答です。大事な判断の前に、リンク先の資料を確かめてください。',
    sourcesLabel: '出典',
    deadline: (date) => `締切 ${date}`,
    closed: '募集終了',
    helpful: '👍 役に立った',
    notHelpful: '👎 いまひとつ',
    confirmTitle: '確認',
    confirmText: 'この操作は取り消せません。よろしいですか?',
    confirmYes: '実行する',
    confirmNo: 'やめる',
    submit: '送信',
    cancel: 'キャンセル',
    modalTitle: 'Tsumiki',
    continued: '(続き)',
    exportComment: 'あなたのデータを JSON ファイルでお送りします。',
    exportFallback: 'ファイルを送れなかったため、データをここに表示します。',
    stillWorking: '考えています…',
    failed: (reason) => `申し訳ありません、お返事を届けられませんでした(${reason})。もう一度お試しください。`,
    deliveredToDm: 'Tsumiki とのダイレクトメッセージにお送りしました。',
    assistantPromptsTitle: 'たとえば、こんな相談から',
    assistantGreeting: 'こんにちは、Tsumiki です。キャリアのこと、経験の積み方、何でも相談してください。',
    suggestedPrompts: [
      { title: '次に積む経験を考えたい', message: '今の仕事で次にどんな経験を積むとよいか、一緒に考えてください。' },
      { title: '受けられる研修を探す', message: '自分のスキルを広げられる社内研修を教えてください。' },
      { title: '社内公募を見てみる', message: '今募集中の社内公募にはどんなものがありますか?' },
      { title: '今週をふりかえる', message: 'reflect' },
    ],
    home: {
      title: 'Tsumiki(積み木)',
      intro:
        'キャリアは選ぶものではなく、積むもの。Tsumiki は、社内の研修・公募・ジョブシャドウイングの資料をもとに相談にのり、週に一度のふりかえりで経験を学びに変えるお手伝いをします。ダイレクトメッセージか `/career` で話しかけてください。',
      reflectionHeader: '週次のふりかえり',
      enabled: (day, time, zone) => `オン: 毎週${day} ${time}(${zone})`,
      disabled: 'オフ(`schedule on` でオンにできます)',
      paused: (until) => `${until} まで一時停止中`,
      next: (when) => `次回: ${when}`,
      nextUnknown: '次回: まだ決まっていません',
      share: (on) => (on ? '上司との共有: オン(学びとテーマを1on1の準備に使えます)' : '上司との共有: オフ(ふりかえりはあなただけのものです)'),
      journalHeader: '最近のふりかえり',
      noEntries: 'まだ記録はありません。「ふりかえる」から始められます。',
      oneOnOneHeader: '1on1 の準備',
      oneOnOne: (manager, at) => `${manager} さんが ${at} に Tsumiki で1on1を準備しました。`,
      noOneOnOne: 'あなたとの1on1を Tsumiki で準備した人はまだいません。',
      someone: '上司',
      buttons: {
        scheduleOn: 'ふりかえりをオン',
        scheduleOff: 'ふりかえりをオフ',
        changeSlot: '曜日・時刻を変える',
        shareOn: '上司と共有する',
        shareOff: '共有をやめる',
        reflect: 'いまふりかえる',
        journal: '記録を見る',
        export: 'データを受け取る',
      },
      guestNote: '組織データに登録されていないため、上司との機能は使えません。相談はいつでもどうぞ。',
    },
    weekdays: ['月曜', '火曜', '水曜', '木曜', '金曜', '土曜', '日曜'],
  },
  en: {
    aiLabel: 'AI-generated answer. Check the linked documents before any important decision.',
    sourcesLabel: 'Sources',
    deadline: (date) => `deadline ${date}`,
    closed: 'closed',
    helpful: '👍 Helpful',
    notHelpful: '👎 Not helpful',
    confirmTitle: 'Please confirm',
    confirmText: 'This cannot be undone. Are you sure?',
    confirmYes: 'Yes, do it',
    confirmNo: 'Cancel',
    submit: 'Submit',
    cancel: 'Cancel',
    modalTitle: 'Tsumiki',
    continued: '(continued)',
    exportComment: 'Here is your data as a JSON file.',
    exportFallback: 'I could not send a file, so here is your data as text.',
    stillWorking: 'Thinking…',
    failed: (reason) => `Sorry, I could not deliver my answer (${reason}). Please try again.`,
    deliveredToDm: 'I sent it to your direct messages with Tsumiki.',
    assistantPromptsTitle: 'You could start with',
    assistantGreeting: 'Hi, I am Tsumiki. Ask me anything about your career and the experience you want to build.',
    suggestedPrompts: [
      { title: 'Plan my next experience', message: 'Help me think about which experience I should build next in my current job.' },
      { title: 'Find a training', message: 'Which internal trainings could broaden my skills?' },
      { title: 'See open postings', message: 'Which internal job postings are open right now?' },
      { title: 'Reflect on my week', message: 'reflect' },
    ],
    home: {
      title: 'Tsumiki (積み木)',
      intro:
        'A career is not picked, it is built. Tsumiki answers your questions from the company’s trainings, postings and job-shadowing documents, and helps you turn experience into lessons with a short weekly reflection. Message Tsumiki directly or use `/career`.',
      reflectionHeader: 'Weekly reflection',
      enabled: (day, time, zone) => `On: every ${day} at ${time} (${zone})`,
      disabled: 'Off (`schedule on` turns it on)',
      paused: (until) => `Paused until ${until}`,
      next: (when) => `Next: ${when}`,
      nextUnknown: 'Next: not scheduled yet',
      share: (on) => (on ? 'Sharing with your manager: on (lessons and themes may inform 1on1s)' : 'Sharing with your manager: off (your reflections are yours alone)'),
      journalHeader: 'Recent reflections',
      noEntries: 'No entries yet. “Reflect now” starts one.',
      oneOnOneHeader: '1on1 preparation',
      oneOnOne: (manager, at) => `${manager} prepared a 1on1 with you using Tsumiki on ${at}.`,
      noOneOnOne: 'Nobody has prepared a 1on1 with you using Tsumiki yet.',
      someone: 'Your manager',
      buttons: {
        scheduleOn: 'Turn reflections on',
        scheduleOff: 'Turn reflections off',
        changeSlot: 'Change day and time',
        shareOn: 'Share with manager',
        shareOff: 'Stop sharing',
        reflect: 'Reflect now',
        journal: 'Open journal',
        export: 'Export my data',
      },
      guestNote: 'You are not in the organisation directory, so manager features are off. Consultation is always open.',
    },
    weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  },
};
