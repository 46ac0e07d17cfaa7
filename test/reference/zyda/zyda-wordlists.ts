/**
 * Zyda's four word lists (zyda-spec Appendix A), entry for entry. Every entry is a case-sensitive Python regex,
 * counted with findall on the original text; spaces around words are significant, and duplicated entries count
 * twice (Zyda's zh list has two).
 */
export const PROFANITY = [' fuck ', ' shit ', ' damn ', ' cunt ', ' douchebag ', ' crap ', ' nigger ', ' slut ', ' turd ', ' asshole ', ' bugger '];

export const SEXUAL = [
  ' penis ', ' dick ', ' cock ', ' vagina ', ' pussy ', ' tits ', ' boobs ', ' cunt ', ' anal ', ' blowjob ', ' dildo ', ' jerk off ', ' pussies ',
  ' masturbating ', ' jizz ', ' masturbate ',
];

export const CURSED = [
  ' №', '\uFFFD\uFFFD\uFFFD', '\\|\\s*$', ' nr\\.$', 'aute irure dolor ', ' sunt in culpa qui ', 'orem ipsum ', ' quis nostrud ', ' adipisicing ',
  ' dolore eu ', ' cupidatat ', 'autem vel eum', 'wisi enim ad', ' sex ', ' porn ', '黄色电影', 'mp3', 'ownload', 'Vol\\.', ' Ep\\.', 'Episode',
  ' г\\.\\s*$', ' кг\\.\\s*$', ' шт\\.', 'Develop', 'Facebook', ' crusher ', ' xxx ', ' ... ... ... ... ... ... ... ... ...',
  ' .... .... .... .... .... .... .... .... ....', ' [^ ] [^ ] [^ ] [^ ] [^ ] [^ ] [^ ] [^ ] [^ ]', ', ..,,? ..,,? ..,,? ..,,?',
];

export const ZH_PORNSIGNALS = [
  'caoporn', 'caoprom', 'caopron', 'caoporen', 'caoponrn', 'caoponav', 'caopom', 'caoorn', '99re', 'dy888', 'caopro', 'hezyo', 're99', '4438x',
  'zooskool', 'xfplay', '7tav', 'xxoo', 'xoxo', '52av', 'freexx', '91chinese', 'anquye', 'cao97', '538porm', '87fuli', '91pron', '91porn', '26uuu',
  '4438x', '182tv', 'kk4444', '777me', 'ae86', '91av', '720lu', 'yy6080', '6080yy', 'qqchub', 'paa97', 'aiai777', 'yy4480', 'videossexo', '91free',
  '一级特黄大片', '偷拍久久国产视频', '日本毛片免费视频观看', '久久免费热在线精品', '高清毛片在线看', '日本毛片高清免费视频', '一级黄色录像影片', '亚洲男人天堂',
  '久久精品视频在线看', '自拍区偷拍亚洲视频', '亚洲人成视频在线播放', '色姑娘综合站', '丁香五月啪啪', '在线视频成人社区', '亚洲人成视频在线播放', '久久国产自偷拍',
  '一本道', '大香蕉无码', '香港经典三级', '亚洲成在人线免费视频', '天天色综合网', '大香蕉伊人久草', '欧美一级高清片', '天天鲁夜夜啪视频在线', '免费黄片视频在线观看',
  '加比勒久久综合', '久草热久草在线视频', '韩国三级片大全在线观看', '青青草在线视频', '美国一级毛片', '久草在线福利资源', '啪啪啪视频在线观看免费', '成人福利视频在线观看',
  '婷婷我去也', '老司机在线国产', '久久成人视频', '手机看片福利永久国产', '高清国产偷拍在线', '大香蕉在线影院', '日本高清免费一本视频', '男人的天堂东京热',
  '影音先锋男人资源', '五月婷婷开心中文字幕', '亚洲香蕉视频在线播放', '天天啪久久爱视频精品', '超碰久久人人摸人人搞',
];
