import type { EnrolmentHistoryMessages } from './history.zh-CN';

export const enrolmentHistoryEn: EnrolmentHistoryMessages = {
  title: 'Club choice history',
  none: 'Nothing has happened in this term yet.',
  more: 'More',
  line: '{{what}}: {{action}}',
  note: '({{note}})',
  by: 'by {{by}}',
  action: {
    joined: 'joined',
    waitlisted: 'waitlisted',
    withdrawn: 'withdrawn',
    removed: 'removed by the school',
    'left-waitlist': 'left the waitlist',
    promoted: 'moved up from the waitlist',
    'passed-over': 'passed over on the waitlist',
  },
  studentNo: 'Student number',
  show: 'Show the history',
  link: 'History: {{name}}',
};
