// Deterministic mixed Chinese/English/code text for benchmarks. Sentences are drawn at random from word lists so
// that long Chinese runs rarely repeat (a repeated text would flatter any engine with a piece cache).

import { mulberry32 } from '../fixtures/random';

const ZH_WORDS = (
  '我们 今天 模型 价格 大语言 人工智能 开发者 提示词 成本 计算 上下文 窗口 输入 输出 缓存 命中 折扣 时段 厂商 降价 ' +
  '百万 千 元 美元 人民币 每次 调用 比较 最便宜 文本 中文 英文 代码 分词器 词表 编码 解码 速度 准确 估算 结果 ' +
  '用户 编辑器 状态栏 面板 设置 默认 选择 文件 工作区 数据 报告 历史 趋势 预算 超出 警告 问题 质量 性能 测试 ' +
  '天空 为什么 这么 蓝 春天 花朵 城市 夜晚 灯光 河流 山峰 森林 故事 历史 文化 学习 研究 发现 创新 技术 发展 ' +
  '经济 社会 公司 产品 服务 市场 竞争 客户 需求 方案 设计 实现 优化 部署 运行 监控 日志 错误 修复 版本 发布'
).split(' ');
const ZH_PUNCT = ['，', '。', '、', '；', '：', '？', '！', '“', '”', '（', '）'];
const EN_WORDS = (
  'the of and to in is that for it as with was on be by this are from at or an have not which but they ' +
  'prompt model price token cost window context cache input output vendor tokenizer cheaper compare editor status ' +
  'performance latency memory benchmark incremental worker selection document budget report history projection'
).split(' ');
const CODE = [
  'function estimate(tokens, price) {\n  return (tokens / 1e6) * price;\n}\n',
  'const result = await client.chat.completions.create({ model: "qwen-plus", messages });\n',
  'for (let i = 0; i < items.length; i++) {\n    total += items[i].cost;\n}\n',
  'def count(text: str) -> int:\n    return len(encoder.encode(text))\n',
];


/** About `bytes` UTF-8 bytes of mixed text: roughly half Chinese, a third English, the rest code and numbers. */
export function mixedText(bytes: number, seed = 42): string {
  const rnd = mulberry32(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const r = rnd();
    let s: string;
    if (r < 0.5) {
      s = '';
      const n = 3 + Math.floor(rnd() * 12);
      for (let i = 0; i < n; i++) s += pick(ZH_WORDS) + (rnd() < 0.2 ? pick(ZH_PUNCT) : '');
      s += rnd() < 0.3 ? `${Math.floor(rnd() * 100000)}个tokens。` : '。';
    } else if (r < 0.85) {
      const n = 5 + Math.floor(rnd() * 15);
      const w: string[] = [];
      for (let i = 0; i < n; i++) w.push(pick(EN_WORDS));
      s = w.join(' ') + (rnd() < 0.5 ? '. ' : ', ');
      s = s[0].toUpperCase() + s.slice(1);
    } else if (r < 0.95) {
      s = pick(CODE);
    } else {
      s = '\n\n';
    }
    parts.push(s);
    size += Buffer.byteLength(s);
  }
  return parts.join('');
}
