/** What the 1on1 and `share` commands say, in Japanese and English. */
import type { Locale } from '../core/types';

export interface OneOnOneMessages {
  summary: string;
  usage: string;
  shareSummary: string;
  shareUsage: string;
  title(member: string): string;
  empty(reports: string[], example?: string): string;
  unknownMention: string;
  unknownEmail(email: string): string;
  unknownName(name: string, reports: string[]): string;
  ambiguous(name: string, candidates: string[]): string;
  notVisible(name: string, reports: string[]): string;
  notReport(member: string, reports: string[]): string;
  self: string;
  guest: string;
  extraIgnored: string;
  sharedBasis(themes: string[], lessons: number, entries: number): string;
  nothingShared(member: string): string;
  opportunitiesHeading: string;
  noOpportunities: string;
  deadline(date: string): string;
  openingHeading: string;
  offlineNote: string;
  fallbackNote: string;
  memberSees: string;
  thinking: string;
  shareOn: string;
  shareOff: string;
  shareStatus(on: boolean): string;
  shareBadArgument(arg: string): string;
  preparedBy(manager: string, at: string): string;
  noPreparations: string;
  someone: string;
}

const list = (names: string[]) => names.map((n) => `- ${n}`).join('\n');

export const oneOnOneMessages: Record<Locale, OneOnOneMessages> = {
  ja: {
    summary: '1on1 の質問案を用意します(直属の上司・人事のみ)',
    usage: '1on1 <メンバー>',
    shareSummary: '学びとテーマを上司の1on1準備に使ってよいかを切り替えます',
    shareUsage: 'share on|off',
    title: (member) => `${member}さんとの1on1の準備`,
    empty: (reports, example) =>
      reports.length > 0
        ? `誰との1on1か教えてください。例: \`1on1 ${example ?? '佐藤'}\`(Slack では \`/career 1on1 @メンバー\`)。あなたのメンバー:\n${list(reports)}`
        : '誰との1on1か教えてください。例: `1on1 佐藤花子`、`1on1 hanako.sato@example.com`(Slack では `/career 1on1 @メンバー`)。',
    unknownMention: 'その Slack ユーザーは組織データに登録されていません。名前かメールアドレスで指定してください。登録が必要なら人事部に依頼してください。',
    unknownEmail: (email) => `${email} は組織データに見つかりません。メールアドレスを確かめるか、名前で指定してください。`,
    unknownName: (name, reports) =>
      `「${name}」に当たるメンバーが見つかりません。名前の一部、メールアドレス、Slack のメンション(@メンバー)で指定してください。` +
      (reports.length > 0 ? `\nあなたのメンバー:\n${list(reports)}` : ''),
    ambiguous: (name, candidates) =>
      `「${name}」に当たる人が複数います。メールアドレスで指定してください。\n${list(candidates)}`,
    notVisible: (name, reports) =>
      `「${name}」さんはあなたの直属のメンバーではありません。1on1 の質問案は、直属の上司と人事部の担当者だけが用意できます。` +
      (reports.length > 0 ? `\nあなたのメンバー:\n${list(reports)}` : '\n組織データが実態と違う場合は人事部に更新を依頼してください。'),
    notReport: (member, reports) =>
      `${member}さんはあなたの直属のメンバーではないため、1on1 の質問案は用意できません。直属の上司と人事部の担当者だけが使えます。` +
      (reports.length > 0 ? `\nあなたのメンバー:\n${list(reports)}` : '\n組織データが実態と違う場合は人事部に更新を依頼してください。'),
    self: 'ご自身についての1on1準備はできません。自分のキャリアを整理するなら `reflect` でふりかえるか、そのまま相談してください。',
    guest: 'この機能は組織データに登録されている上司と人事部の担当者だけが使えます。登録は人事部に依頼してください。',
    extraIgnored: '(メンバー名のあとに書かれた文は使っていません。質問案はメンバーが共有した内容だけから作ります。)',
    sharedBasis: (themes, lessons, entries) =>
      `本人が共有している内容をもとにしています: ` +
      [themes.length > 0 ? `テーマ「${themes.join('」「')}」` : '', lessons > 0 ? `学び${lessons}件` : '', entries > 0 ? `共有されたエントリ${entries}件` : '']
        .filter(Boolean)
        .join('、') +
      '。',
    nothingShared: (member) =>
      `${member}さんはふりかえりを共有していないため、一般的な質問から選びました。共有するかどうかは本人が決めることです(\`share on\`)。`,
    opportunitiesHeading: '話題にできる社内の機会',
    noOpportunities: '今回は紹介できる社内の機会が見つかりませんでした。',
    deadline: (date) => `締切 ${date}`,
    openingHeading: '切り出し方',
    offlineNote: '(オフラインモード: 厳選した質問集から選んでいます)',
    fallbackNote: '(生成AIが応答しなかったため、厳選した質問集から選んでいます)',
    memberSees: '※ この準備をしたことは、本人にも表示されます。',
    thinking: '1on1 の質問案を考えています…',
    shareOn: '共有をオンにしました。上司が1on1を準備するとき、あなたのふりかえりの「学び」と「テーマ」が使われます(経験の詳細や内省は使われません)。いつでも `share off` で止められます。',
    shareOff: '共有をオフにしました。上司の1on1準備には、あなたが個別に共有したエントリだけが使われます。',
    shareStatus: (on) =>
      on
        ? '今は共有オンです: 上司の1on1準備に、ふりかえりの「学び」と「テーマ」が使われます。止めるには `share off`。'
        : '今は共有オフです: 上司の1on1準備に使われるのは、あなたが個別に共有したエントリだけです。学びとテーマを共有するには `share on`。',
    shareBadArgument: (arg) => `「${arg}」はわかりませんでした。\`share on\` か \`share off\` と書いてください。`,
    preparedBy: (manager, at) => `- ${at} ${manager}さんが Tsumiki で1on1を準備しました`,
    noPreparations: 'これまでに Tsumiki で1on1を準備した人はいません。',
    someone: '(名前不明)',
  },
  en: {
    summary: 'suggests questions for a 1on1 (direct manager or HR only)',
    usage: '1on1 <member>',
    shareSummary: 'whether your manager’s 1on1 suggestions may use your lessons and themes',
    shareUsage: 'share on|off',
    title: (member) => `Preparing your 1on1 with ${member}`,
    empty: (reports, example) =>
      reports.length > 0
        ? `Who is the 1on1 with? For example \`1on1 ${example ?? 'Sato'}\` (in Slack, \`/career 1on1 @member\`). Your team:\n${list(reports)}`
        : 'Who is the 1on1 with? For example `1on1 Hanako Sato` or `1on1 hanako.sato@example.com` (in Slack, `/career 1on1 @member`).',
    unknownMention: 'That Slack user is not in the organisation directory. Name the member by name or e-mail instead, or ask HR to add them.',
    unknownEmail: (email) => `${email} is not in the organisation directory. Check the address, or name the member instead.`,
    unknownName: (name, reports) =>
      `I found no member matching “${name}”. Use part of their name, their e-mail or a Slack mention (@member).` +
      (reports.length > 0 ? `\nYour team:\n${list(reports)}` : ''),
    ambiguous: (name, candidates) => `Several people match “${name}”. Please name one by e-mail:\n${list(candidates)}`,
    notVisible: (name, reports) =>
      `“${name}” is not one of your direct reports. Only a member’s direct manager and HR can prepare 1on1 suggestions.` +
      (reports.length > 0 ? `\nYour team:\n${list(reports)}` : '\nIf the organisation data is wrong, ask HR to update it.'),
    notReport: (member, reports) =>
      `${member} is not one of your direct reports, so I cannot prepare 1on1 suggestions. Only a member’s direct manager and HR can.` +
      (reports.length > 0 ? `\nYour team:\n${list(reports)}` : '\nIf the organisation data is wrong, ask HR to update it.'),
    self: 'I cannot prepare a 1on1 about yourself. To think about your own career, try `reflect`, or just ask me.',
    guest: 'This feature is for managers and HR in the organisation directory. Please ask HR to add you.',
    extraIgnored: '(I did not use the text after the member’s name: suggestions come only from what the member chose to share.)',
    sharedBasis: (themes, lessons, entries) =>
      'Based on what they chose to share: ' +
      [themes.length > 0 ? `themes “${themes.join('”, “')}”` : '', lessons > 0 ? `${lessons} lesson(s)` : '', entries > 0 ? `${entries} shared entr${entries === 1 ? 'y' : 'ies'}` : '']
        .filter(Boolean)
        .join(', ') +
      '.',
    nothingShared: (member) =>
      `${member} has not shared any reflections, so these are general questions. Sharing is their choice (\`share on\`).`,
    opportunitiesHeading: 'Opportunities worth discussing',
    noOpportunities: 'I found no company opportunity to suggest this time.',
    deadline: (date) => `deadline ${date}`,
    openingHeading: 'How to open',
    offlineNote: '(Offline mode: chosen from the curated question bank)',
    fallbackNote: '(The language model did not answer, so these come from the curated question bank)',
    memberSees: 'Note: the member can see that you prepared this 1on1.',
    thinking: 'Preparing 1on1 questions…',
    shareOn: 'Sharing is on. When your manager prepares a 1on1, the lessons and themes of your reflections are used (not the details of your experiences or your thoughts). `share off` stops it at any time.',
    shareOff: 'Sharing is off. Your manager’s 1on1 preparation uses only entries you shared one by one.',
    shareStatus: (on) =>
      on
        ? 'Sharing is on: your manager’s 1on1 preparation uses the lessons and themes of your reflections. `share off` stops it.'
        : 'Sharing is off: your manager’s 1on1 preparation uses only entries you shared one by one. `share on` shares your lessons and themes.',
    shareBadArgument: (arg) => `I did not understand “${arg}”. Write \`share on\` or \`share off\`.`,
    preparedBy: (manager, at) => `- ${at}: ${manager} prepared a 1on1 with Tsumiki`,
    noPreparations: 'Nobody has prepared a 1on1 about you with Tsumiki yet.',
    someone: '(unknown)',
  },
};
