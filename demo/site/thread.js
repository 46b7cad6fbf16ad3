// Any conversation of the demo site by its topic (/thread?topic=journey-starting): the company
// desk links here with thread-url="/thread?topic={topic}#post-{post}". A host's own pages would
// know their topics; the demo has more topics than pages.
const topic = new URLSearchParams(location.search).get('topic') || 'living-with-alzheimers';
document.querySelector('parley-discussion').setAttribute('topic', topic);
fetch(`/api/sites/demo/topics?ids=${encodeURIComponent(topic)}`)
  .then((res) => res.json())
  .then((list) => {
    const title = list.topics?.[0]?.title;
    if (!title) return;
    document.querySelector('#thread-title').textContent = title;
    document.title = `${title} · Meadowbrook Dementia Carers' Association`;
  })
  .catch(() => {});
