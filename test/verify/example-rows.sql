INSERT INTO users (id, email, name) VALUES (1, 'ada@example.com', 'Ada'), (2, 'bob@example.com', 'Bob');
INSERT INTO posts (id, author_id, title) VALUES (1, 1, 'Hello D1'), (2, 1, 'Cascades'), (3, 2, 'Bob writes');
INSERT INTO comments (id, post_id, user_id, body) VALUES (1, 1, 2, 'Nice'), (2, 3, 1, 'Welcome'), (3, 2, NULL, 'Anon');
INSERT INTO tags (id, name) VALUES (1, 'sqlite'), (2, 'cloudflare');
INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1), (1, 2), (2, 1), (3, 2);
