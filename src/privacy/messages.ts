/** The privacy feature's words, in both languages. */
import type { Locale } from '../core/types';

export interface PrivacyMessages {
  exportSummary: string;
  exportTitle: string;
  exportText: (rows: number) => string;
  forgetSummary: string;
  forgetTitle: string;
  forgetText: (minutes: number) => string;
  forgetConfirm: string;
  forgetCancel: string;
  forgotten: string;
  forgetCancelled: string;
  confirmationExpired: string;
  confirmationUnknown: string;
  nothingStored: string;
}

export const privacyMessages: Record<Locale, PrivacyMessages> = {
  ja: {
    exportSummary: 'あなたについて保存しているデータを JSON ファイルで受け取ります',
    exportTitle: 'あなたのデータ',
    exportText: (rows) =>
      `Tsumiki が保存しているあなたのデータ(${rows.toLocaleString('ja-JP')}件)を JSON ファイルにまとめました。会話、ふりかえり、設定、同意の記録などが含まれます。`,
    forgetSummary: 'あなたのデータをすべて消去します(確認あり)',
    forgetTitle: 'あなたのデータをすべて消去しますか?',
    forgetText: (minutes) =>
      '相談の会話、ふりかえりの記録(ジャーナル)、設定、同意の記録、フィードバック、予定されたメッセージ、Slack/Teams との紐づけを、すべて消去します。**元に戻せません。**\n\n' +
      '先に `export` でデータを受け取っておくこともできます。消去したことだけは、あなたを特定できない形(ハッシュ値)で記録に残ります。\n\n' +
      `この確認は${minutes}分間有効です。`,
    forgetConfirm: 'すべて消去する',
    forgetCancel: 'やめる',
    forgotten:
      'あなたのデータをすべて消去しました。消去したという事実だけを、あなたを特定できない形で記録しています。' +
      'また話しかけていただければ、はじめからお手伝いします(組織データに登録されている場合、お名前と所属は次回の組織データ取り込みで再登録されます)。',
    forgetCancelled: '消去をやめました。何も削除していません。',
    confirmationExpired: 'この確認は期限が切れました。消去したい場合は、もう一度 `forget` と入力してください。何も削除していません。',
    confirmationUnknown: 'この確認はすでに使われたか、無効です。消去したい場合は、もう一度 `forget` と入力してください。',
    nothingStored: 'あなたについて保存しているデータはありません。',
  },
  en: {
    exportSummary: 'sends you everything stored about you as a JSON file',
    exportTitle: 'Your data',
    exportText: (rows) =>
      `Here is everything Tsumiki stores about you (${rows.toLocaleString('en-US')} records) as a JSON file: conversations, reflections, settings, consent records and more.`,
    forgetSummary: 'erases all your data (after a confirmation)',
    forgetTitle: 'Erase all your data?',
    forgetText: (minutes) =>
      'This erases your consultation messages, your reflection journal, your settings, your consent records, your feedback, any scheduled messages and the link to your Slack/Teams account. **It cannot be undone.**\n\n' +
      'You may want to run `export` first. Only the fact that an erasure happened is kept, under a pseudonym (a hash) that does not identify you.\n\n' +
      `This confirmation is valid for ${minutes} minutes.`,
    forgetConfirm: 'Erase everything',
    forgetCancel: 'Cancel',
    forgotten:
      'All your data has been erased. Only the fact that an erasure happened is recorded, under a pseudonym. ' +
      'If you write again, we start afresh (if you are in the organisation directory, your name and team come back with the next directory import).',
    forgetCancelled: 'Cancelled. Nothing was deleted.',
    confirmationExpired: 'This confirmation has expired. Nothing was deleted. Type `forget` again if you still want to erase your data.',
    confirmationUnknown: 'This confirmation was already used or is not valid. Type `forget` again if you want to erase your data.',
    nothingStored: 'Nothing is stored about you.',
  },
};
