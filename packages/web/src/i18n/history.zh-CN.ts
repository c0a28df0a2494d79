/** 选课记录（一名学生本学期的报名、候补、退选、移出、递补）. Every key here has its English in history.en.ts. */
export const enrolmentHistoryZh = {
  title: '选课记录',
  none: '本学期还没有选课记录。',
  more: '更多记录',
  line: '{{what}}：{{action}}',
  note: '（{{note}}）',
  by: '操作：{{by}}',
  action: {
    joined: '报上',
    waitlisted: '进入候补',
    withdrawn: '退选',
    removed: '被学校移出',
    'left-waitlist': '退出候补',
    promoted: '从候补递补',
    'passed-over': '候补时被跳过',
  },
  studentNo: '学号',
  show: '查看记录',
  link: '记录：{{name}}',
};

export type EnrolmentHistoryMessages = typeof enrolmentHistoryZh;
